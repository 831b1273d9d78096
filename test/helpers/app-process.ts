/**
 * The real app as a process (`node --import tsx src/main.ts`, what `npm start` runs) on a DATA_DIR of the test's:
 * no Slack or AWS settings inherited, so the local Slack emulator runs inside it (unless the test points it at
 * one of its own) and the store is the embedded one under DATA_DIR. For what only a whole process shows: the
 * sockets it listens on, how it starts and exits, its disk, and what survives kill -9 or SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The alerts token of every app process unless the test sets its own `ALERTS_API_TOKEN`. */
export const ALERTS_TOKEN = 'app-process-alerts-token-7c21';

/** Settings of the test's own environment that must not leak into the app's. */
const OUTSIDE =
  /^(SLACK_|CONNECT_|CHATWORK_|WIKI_|BEDROCK_|GITHUB_|GITLAB_|AWS_|ESCALAT|CALL_|SECRETS_ID|QUEUE|AMQP|STORE|PORT|DATA_DIR|SHUTDOWN_)/;

/** The environment of a local `npm start` on `dataDir`, with `extra` on top. */
export function appEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !OUTSIDE.test(key)) base[key] = value;
  }
  return {
    ...base,
    NODE_ENV: 'development',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    PORT: '0',
    DATA_DIR: dataDir,
    QUEUE: 'memory',
    ALERTS_API_TOKEN: ALERTS_TOKEN,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  /** Everything it printed so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or the signal) once it has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

function spawnApp(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  stderr: () => string;
  exited: Promise<number | NodeJS.Signals | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env,
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
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  return { child, output: () => output, stderr: () => stderr, exited };
}

/** Starts the app on `dataDir` with `env` on top of `appEnv`; resolves once it serves HTTP. */
export async function startAppProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<AppProcess> {
  const { child, output, exited } = spawnApp(appEnv(dataDir, env));
  const running = /Hikeshi is running at http:\/\/localhost:(\d+)/;
  try {
    await expect.poll(output, { timeout: 30_000, interval: 100 }).toMatch(running);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the app did not start:\n${output()}`, { cause: error });
  }
  return {
    child,
    pid: child.pid ?? 0,
    baseUrl: `http://127.0.0.1:${running.exec(output())?.[1] ?? ''}`,
    output,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Starts the app and waits for it to exit by itself (within `timeoutMs`, or it is killed). */
export async function runAppToExit(
  dataDir: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child, output, stderr, exited } = spawnApp(appEnv(dataDir, env));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited;
  clearTimeout(killer);
  return { code: typeof code === 'number' ? code : null, stdout: output(), stderr: stderr() };
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

/** POST /api/alerts with the default token: the status and the body. */
export async function postAlert(
  baseUrl: string,
  alert: { title: string; dedup_key: string; severity?: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
    body: JSON.stringify({ severity: 'critical', ...alert }),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, body };
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
