/**
 * The real app as a process (`node --import tsx src/main.ts`, what `npm start` runs) on a DATA_DIR of the test's,
 * for the tests that kill it (kill -9) or stop it (SIGTERM) and start it again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Settings of the test's own environment that must not leak into the app's. */
const OUTSIDE = /^(SLACK_|CONNECT_|CHATWORK_|AWS_|ESCALAT|CALL_|SECRETS_ID|QUEUE|AMQP|SHUTDOWN_)/;

export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or the signal) once it has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
}

const live = new Set<ChildProcess>();

/** Starts the app on `dataDir` with `env` on top of a clean local environment; resolves once it serves HTTP. */
export async function startAppProcess(dataDir: string, env: Record<string, string>): Promise<AppProcess> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !OUTSIDE.test(key)) base[key] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...base,
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      PORT: '0',
      DATA_DIR: dataDir,
      QUEUE: 'memory',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: 'pipe',
  });
  live.add(child);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal);
    }),
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expect
    .poll(() => output, { timeout: 30_000, interval: 100 })
    .toMatch(/Hikeshi is running at http:\/\/localhost:\d+/);
  const port = /Hikeshi is running at http:\/\/localhost:(\d+)/.exec(output)?.[1];
  return { child, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
}

export async function kill9(app: AppProcess): Promise<void> {
  app.child.kill('SIGKILL');
  await app.exited;
}

/** Kills whatever a failed test left running. */
export function killAllAppProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** The JSON log lines the app printed, parsed (other lines skipped). */
export function logLines(app: AppProcess): Record<string, unknown>[] {
  return app
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}
