/**
 * Issue 22: WEB_CONCURRENCY=2 runs two HTTP workers on one port (node:cluster), with the background work once in
 * the primary. The real app as a process (`src/main.ts`, the embedded store on disk, owned by the primary) against
 * the Slack emulator in this test process. One storm of one alert spread over both workers gives exactly one
 * Slack message and an exact, durable count; `/metrics` adds up every process; SIGTERM stops the workers before
 * the primary's store, with nothing lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killAllAppProcesses, logLines, startAppProcess, type AppProcess } from '../helpers/app-process.js';
import { startObservedEmulator } from '../helpers/observed-emulator.js';
import { startTestStore } from '../helpers/store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHANNEL = 'C0ALERTS1';
const ALERTS_TOKEN = 'cluster-alerts-token-3f90';
const METRICS_TOKEN = 'cluster-metrics-token-81aa';
const STORM = 1_500;
const CONNECTIONS = 16;

let slack: Awaited<ReturnType<typeof startObservedEmulator>>;
let dataDir: string;

beforeEach(async () => {
  slack = await startObservedEmulator();
  dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-cluster-'));
});

afterEach(async () => {
  killAllAppProcesses();
  await slack.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** `requests` POSTs of the same alert over `CONNECTIONS` keep-alive connections (the cluster spreads connections). */
async function storm(app: AppProcess, title: string, requests: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const body = JSON.stringify({ title, severity: 'warning', dedup_key: title });
  const url = new URL('/api/alerts', app.baseUrl);
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${ALERTS_TOKEN}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
      req.end(body);
    });
  const statuses: number[] = [];
  let sent = 0;
  const lane = async () => {
    while (sent < requests) {
      sent += 1;
      statuses.push(await post());
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, lane));
  agent.destroy();
  return statuses;
}

describe('WEB_CONCURRENCY=2: two HTTP workers, background work once', () => {
  it('one storm over both workers: one Slack message, an exact count, metrics of the whole cluster', async () => {
    const app = await startAppProcess(dataDir, {
      WEB_CONCURRENCY: '2',
      SLACK_BOT_TOKEN: slack.emulator.botToken,
      SLACK_APP_TOKEN: slack.emulator.appToken,
      SLACK_API_URL: slack.emulator.apiUrl,
      ALERTS_API_TOKEN: ALERTS_TOKEN,
      METRICS_TOKEN,
    });
    expect(app.output()).toContain('2 HTTP workers');

    const title = 'Checkout latency above 2 s';
    const statuses = await storm(app, title, STORM);
    expect(statuses.filter((s) => s === 202)).toHaveLength(STORM);

    // One message, posted once by the primary's publisher, which ends up showing the whole count.
    const messages = () => slack.emulator.workspace.messages(CHANNEL).filter((m) => m.text.includes(title));
    await expect
      .poll(
        () =>
          messages()
            .map((m) => JSON.stringify(m.blocks ?? m.text))
            .join(),
        { timeout: 15_000 },
      )
      .toContain(`seen *${STORM}* times`);
    expect(messages()).toHaveLength(1);

    // Every process's figures, added up: each request counted once, whichever worker took it.
    const metrics = await fetch(`${app.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    const folded = /^hikeshi_alerts_total\{action="folded"\} (\d+)$/m.exec(text)?.[1];
    const opened = /^hikeshi_alerts_total\{action="opened"\} (\d+)$/m.exec(text)?.[1];
    expect(Number(folded) + Number(opened)).toBe(STORM);
    expect(text.match(/^# TYPE hikeshi_alerts_total counter$/gm)).toHaveLength(1);

    // SIGTERM: the workers stop first and write what they counted through the primary's store, then it stops.
    await app.stop();
    expect(await app.exited).toBe(0);
    const store = await startTestStore({ dataDir });
    try {
      const [incident] = (await store.incidents.listOpen()).filter((i) => i['title'] === title);
      expect(incident?.['count']).toBe(STORM);
    } finally {
      await store.close();
    }
  }, 90_000);

  it('a worker killed with SIGKILL is replaced, the others answer meanwhile; a reload reaches every process', async () => {
    const app = await startAppProcess(dataDir, {
      WEB_CONCURRENCY: '2',
      ONCALL_CONFIG: join(ROOT, 'examples', 'oncall.yaml'),
      SLACK_BOT_TOKEN: slack.emulator.botToken,
      SLACK_APP_TOKEN: slack.emulator.appToken,
      SLACK_API_URL: slack.emulator.apiUrl,
      ALERTS_API_TOKEN: ALERTS_TOKEN,
    });
    const workerPids = () =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(app.pid)], { encoding: 'utf8' })
        .split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0);
    const before = workerPids();
    expect(before).toHaveLength(2);
    process.kill(before[0] ?? 0, 'SIGKILL');
    // Once the primary knows (a connection handed to the worker as it died is lost with it, as with any crash),
    // the other worker takes every request until the replacement listens.
    const died = () => logLines(app).some((line) => line['msg'] === 'an HTTP worker died: starting another');
    await expect.poll(died, { timeout: 10_000 }).toBe(true);
    expect((await storm(app, 'Queue depth above 10k', 200)).every((s) => s === 202)).toBe(true);
    const replaced = () =>
      logLines(app).some((line) => line['msg'] === 'a replacement HTTP worker is listening');
    await expect.poll(replaced, { timeout: 15_000 }).toBe(true);
    expect(workerPids()).toHaveLength(2);
    expect(workerPids()).not.toContain(before[0]);

    // POST /-/reload reaches one worker; the primary and the other worker read the file too.
    const reload = await fetch(`${app.baseUrl}/-/reload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
    });
    expect(reload.status).toBe(200);
    const reloads = () =>
      logLines(app).filter((line) => line['msg'] === 'on-call configuration reloaded').length;
    await expect.poll(reloads, { timeout: 10_000 }).toBe(3);
  }, 60_000);
});
