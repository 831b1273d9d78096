/**
 * The real app as `npm start` runs it (`node --import tsx src/main.ts`), in a process of its own: no Slack or
 * AWS settings inherited, so the local Slack emulator runs inside it and the store is the embedded one under
 * DATA_DIR. For what only a whole process shows: the sockets it listens on, how it exits, its disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const ALERTS_TOKEN = 'app-process-alerts-token-7c21';

/** The environment of a local `npm start` on `dataDir`, plus `extra`. */
export function appEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value !== undefined &&
      !/^(SLACK_|CONNECT_|CHATWORK_|WIKI_|BEDROCK_|GITHUB_|GITLAB_|AWS_|SECRETS_ID|QUEUE|AMQP|STORE|PORT|DATA_DIR)/.test(
        key,
      )
    )
      env[key] = value;
  }
  return {
    ...env,
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

function spawnApp(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: 'pipe' });
}

export interface AppProcess {
  pid: number;
  baseUrl: string;
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Starts the app; resolves once it says it is running. */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child = spawnApp(env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = /Hikeshi is running at http:\/\/localhost:(\d+)/;
  try {
    await expect.poll(() => output, { timeout: 20_000, interval: 100 }).toMatch(running);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the app did not start:\n${output}`, { cause: error });
  }
  return {
    pid: child.pid ?? 0,
    baseUrl: `http://127.0.0.1:${running.exec(output)?.[1] ?? ''}`,
    output: () => output,
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
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnApp(env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(killer);
  return { code, stdout, stderr };
}

/** POST /api/alerts: the status and the body. */
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
