/**
 * Issue 17, A: a production process never falls back to the local emulator. `src/main.ts` (`npm start`) runs as
 * its own process, as an operator runs it, with NODE_ENV=production (or AWS_LAMBDA_FUNCTION_NAME set):
 * - with an empty or missing SLACK_BOT_TOKEN it refuses to start, naming the variable, instead of serving the
 *   emulator's page at `/` and accepting `Bearer local-dev-token`;
 * - with its Slack credentials (pointed at a Slack emulator in the test, over HTTP) it serves no emulator page,
 *   refuses the development credentials and an unauthenticated /metrics, and does not swap an unreachable task
 *   broker for an in-process queue that a restart would empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../../src/local-slack.js';
import { LOCAL_DEV_SECRET, LOCAL_DEV_TOKEN } from '../../src/ingress/auth.js';
import { githubExample, postGitHub } from '../helpers/webhooks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GITHUB_SECRET = 'github-secret-prod-7f3a';

let dataDir: string;
let emulator: SlackEmulator;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-prod-'));
  emulator = await startSlackEmulator({ workspace: localSlackWorkspace() });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await emulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** This process's environment without anything that configures Hikeshi, plus `env`. */
function processEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key in env) continue;
    if (
      /^(NODE_ENV|SLACK_|CONNECT_|CHATWORK_|AWS_|SECRETS_ID|QUEUE|AMQP|METRICS|ALERTS|GITHUB|GITLAB)/.test(
        key,
      )
    )
      continue;
    base[key] = value;
  }
  return { ...base, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env };
}

interface Outcome {
  /** Exit code, when the process stopped by itself. */
  code?: number | null;
  /** Where it serves, when it started. */
  baseUrl?: string;
  output: string;
}

/** Runs `src/main.ts` until it exits or announces where it serves. */
function runMain(env: Record<string, string>): Promise<Outcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: processEnv(env),
    stdio: 'pipe',
  });
  children.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`neither started nor exited:\n${output}`)), 25_000);
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Hikeshi is running at http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ baseUrl: `http://127.0.0.1:${port}`, output });
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, output });
    });
  });
}

/** A loopback port nothing listens on: a task broker that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm start with NODE_ENV=production', () => {
  it('refuses to start with an empty SLACK_BOT_TOKEN, naming it, instead of opening the emulator', async () => {
    const outcome = await runMain({
      NODE_ENV: 'production',
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: 'signing-secret-set',
    });
    expect(outcome.baseUrl, outcome.output).toBeUndefined();
    expect(outcome.code).toBe(1);
    expect(outcome.output).toContain('Invalid configuration:');
    expect(outcome.output).toMatch(/- SLACK_BOT_TOKEN: required in production/);
    expect(outcome.output).not.toContain('SLACK_SIGNING_SECRET:');
  });

  it('on Lambda (AWS_LAMBDA_FUNCTION_NAME set, NODE_ENV unset) refuses the same way', async () => {
    const outcome = await runMain({ AWS_LAMBDA_FUNCTION_NAME: 'hikeshi-prod-ingress' });
    expect(outcome.baseUrl, outcome.output).toBeUndefined();
    expect(outcome.code).toBe(1);
    expect(outcome.output).toMatch(/- SLACK_BOT_TOKEN: required in production/);
    expect(outcome.output).toMatch(/- SLACK_SIGNING_SECRET: required on AWS Lambda/);
  });

  describe('with its Slack credentials', () => {
    let app: Outcome;
    beforeAll(async () => {
      app = await runMain({
        NODE_ENV: 'production',
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_SIGNING_SECRET: emulator.signingSecret,
        SLACK_API_URL: emulator.apiUrl,
        GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
        // QUEUE unset and the broker down: in local mode npm start would fall back to an in-process queue.
        AMQP_URL: `amqp://guest:guest@127.0.0.1:${await closedPort()}`,
      });
      expect(app.baseUrl, app.output).toBeDefined();
    }, 30_000);

    it('serves no emulator page at /', async () => {
      const page = await fetch(`${app.baseUrl}/`);
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain('<html');
      expect(app.output).not.toContain('local Slack emulator');
    });

    it('refuses the development credentials, naming what to set', async () => {
      const alert = await fetch(`${app.baseUrl}/api/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${LOCAL_DEV_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'opened by anyone?' }),
      });
      expect(alert.status).toBe(401);
      expect(await alert.json()).toMatchObject({ error: 'ALERTS_API_TOKEN is not configured' });
      const job = await fetch(`${app.baseUrl}/api/monitor/job-report`, {
        method: 'POST',
        headers: { 'x-tc-portal-webhook-secret': LOCAL_DEV_SECRET, 'content-type': 'application/json' },
        body: JSON.stringify({
          job_key: 'k',
          title: 't',
          status: 'error',
          finished_at: new Date().toISOString(),
        }),
      });
      expect(job.status).toBe(401);
      expect(emulator.workspace.postCalls()).toEqual([]);
    });

    it('refuses /metrics without METRICS_TOKEN', async () => {
      const metrics = await fetch(`${app.baseUrl}/metrics`);
      expect(metrics.status).toBe(401);
      expect(await metrics.json()).toMatchObject({ error: 'METRICS_TOKEN is not configured' });
    });

    it('answers 503 for a task while the broker is down, so GitHub redelivers it, instead of queueing it in memory', async () => {
      const sent = await postGitHub(
        app.baseUrl ?? '',
        GITHUB_SECRET,
        'issues',
        githubExample('issues', 'labeled'),
      );
      expect(sent.status).toBe(503);
      expect(app.output).not.toContain('using an in-process task queue');
    });
  });
});
