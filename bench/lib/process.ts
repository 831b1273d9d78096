/**
 * Child processes for the benchmarks: every server under test, every ceiling and every load generator runs in
 * its own process, so a figure never includes the cost of the code measuring it. Output goes to a log file
 * per process (kept for a failed run); a process that exits on its own while a benchmark still needs it is a
 * crash, which fails the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** True once the process has ended without being asked to. */
  crashed(): boolean;
  /** The first stdout line that parses as a JSON object, for processes that announce their address. */
  announcement<T>(timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  logDir: string;
  /** Extra `node` flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** The checkout the script belongs to (default this one); also the working directory. */
  root?: string;
}

/** Runs a TypeScript file with `node --import tsx`, the way `npm start` runs the app. */
export function spawnTs(name: string, script: string, args: string[], options: SpawnOptions): Child {
  return spawnCommand(
    name,
    process.execPath,
    ['--import', 'tsx', ...(options.nodeArgs ?? []), join(options.root ?? ROOT, script), ...args],
    options,
  );
}

export function spawnCommand(name: string, command: string, args: string[], options: SpawnOptions): Child {
  const logFile = join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(command, args, {
    cwd: options.root ?? ROOT,
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopping = false;
  let ended = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (!line.startsWith('{')) continue;
      lines.push(line);
      for (const waiter of waiters.splice(0)) waiter(line);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  void exited.then(() => log.end());

  const stop = async (graceMs = 5_000) => {
    if (ended) return;
    stopping = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited,
    crashed: () => ended && !stopping,
    announcement<T>(timeoutMs = 60_000): Promise<T> {
      const first = lines.find((l) => parse(l) !== undefined);
      if (first !== undefined) return Promise.resolve(parse(first) as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} did not start (see ${logFile})`)),
          timeoutMs,
        );
        const check = (line: string) => {
          const value = parse(line);
          if (value === undefined) {
            waiters.push(check);
            return;
          }
          clearTimeout(timer);
          resolve(value as T);
        };
        waiters.push(check);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${String(code)}) before it was ready (see ${logFile})`));
        });
      });
    },
    stop,
    async kill() {
      if (ended) return;
      stopping = true;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && 'bench' in value
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A free loopback port (the server under test is told its port, as `PORT` in production). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.crashed()) throw new Error(`${child.name} exited during start-up (see ${child.logFile})`);
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms (see ${child.logFile})`);
}

/** Prints the announcement a parent waits for: one JSON line with `bench: true`. */
export function announce(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: true, ...fields })}\n`);
}
