/**
 * Hikeshi under test: `src/main.ts` (what `npm start` runs) in its own process, configured like a deployment
 * (NODE_ENV=production, JSON logs at the default level, the embedded store persisting under a fresh DATA_DIR),
 * talking to the benchmark's Slack emulator process over HTTP (Bolt's HTTP receiver), not to Slack.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnTs, waitForHttp, type Child } from './process.js';

export const ALERTS_TOKEN = 'bench-alerts-token-5d1c';
export const JOB_SECRET = 'bench-job-secret-8e2a';
export const GITHUB_SECRET = 'bench-github-secret-77f0';
export const TASK_LABEL = 'coding agent';
export const ALERT_CHANNEL = 'C0ALERTS1';

export interface EmulatorInfo {
  url: string;
  apiUrl: string;
  botToken: string;
  appToken: string;
  signingSecret: string;
  control: string;
}

export interface RunningEmulator {
  child: Child;
  info: EmulatorInfo;
  setLimits(limits: { method: string; limit: Record<string, number> }[]): Promise<void>;
  state(channel: string): Promise<EmulatorState>;
  blockActions(input: {
    channel: string;
    count: number;
    actionIds: string[];
  }): Promise<Record<string, unknown>[]>;
}

export interface EmulatorState {
  messages: {
    ts: string;
    thread_ts?: string;
    text: string;
    rendered: string;
    metadata?: { event_type?: string; event_payload?: Record<string, string> };
  }[];
  calls: {
    method: string;
    ok: boolean;
    error?: string;
    at: number;
    channel?: string;
    ts?: string;
    thread_ts?: string;
  }[];
}

export async function startEmulator(logDir: string, name = 'slack-emulator'): Promise<RunningEmulator> {
  const child = spawnTs(name, 'bench/servers/emulator.ts', [], { logDir });
  const info = await child.announcement<EmulatorInfo>();
  const control = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${info.control}${path}`, init);
    if (!res.ok) throw new Error(`emulator control ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const post = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    child,
    info,
    setLimits: async (limits) => {
      await control('/limits', post(limits));
    },
    state: (channel) => control<EmulatorState>(`/state?channel=${encodeURIComponent(channel)}`),
    blockActions: async (input) =>
      (await control<{ payloads: Record<string, unknown>[] }>('/block-actions', post(input))).payloads,
  };
}

export interface RunningHikeshi {
  child: Child;
  url: string;
  dataDir: string;
  env: Record<string, string>;
}

export async function startHikeshi(options: {
  logDir: string;
  emulator: EmulatorInfo;
  name?: string;
  env?: Record<string, string>;
  dataDir?: string;
  nodeArgs?: string[];
  /** What to run; default `src/main.ts` (`npm start`). */
  entry?: string;
}): Promise<RunningHikeshi> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(options.logDir, 'data-'));
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: options.emulator.botToken,
    SLACK_SIGNING_SECRET: options.emulator.signingSecret,
    SLACK_API_URL: options.emulator.apiUrl,
    SLACK_ALERT_CHANNEL: ALERT_CHANNEL,
    ALERTS_API_TOKEN: ALERTS_TOKEN,
    JOB_REPORT_SECRET: JOB_SECRET,
    GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
    QUEUE: 'memory',
    ...options.env,
  };
  const child = spawnTs(options.name ?? 'hikeshi', options.entry ?? 'src/main.ts', [], {
    logDir: options.logDir,
    env,
    // Another checkout's app under the same harness: how the "before" figures in docs/BENCHMARKS.md were taken.
    ...(process.env['BENCH_APP_ROOT'] ? { root: process.env['BENCH_APP_ROOT'] } : {}),
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`, child);
  return { child, url, dataDir, env };
}
