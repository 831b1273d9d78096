/**
 * Issue 17 B: a stop is bounded. The real app runs as a process (`src/main.ts`, the store on disk under a temp
 * DATA_DIR) against the Slack emulator in this test process, with Slack's real pacing (one post per second per
 * channel). 300 alerts open 300 incidents, whose messages queue behind that pacing; 50 repeats of one of them sit
 * in the fold buffer. On SIGTERM the process must be gone within SHUTDOWN_GRACE_SECONDS (plus a margin), with
 * every accepted alert in the store and the number of Slack messages it left in its log; the next start (here in
 * process, with fast pacing, on the same data and the same Slack) posts that backlog: one message per incident.
 *
 * `npm test` stops with a 4 s grace period, once; `HIKESHI_STOP_RUNS=5` (default grace, 10 s) is the measurement
 * recorded in docs/RELIABILITY.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { systemClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/logger.js';
import { createStore, resolveTableNames } from '../../src/store/index.js';
import { killAllAppProcesses, logLines, startAppProcess } from '../helpers/app-process.js';
import { startObservedEmulator } from '../helpers/observed-emulator.js';

const CHANNEL = 'C0ALERTS1';
const ALERTS_TOKEN = 'bounded-stop-alerts-token-3a9f';
const INCIDENTS = 300;
const REPEATS = 50;
const RUNS = Number(process.env['HIKESHI_STOP_RUNS'] ?? '1');
const GRACE_SECONDS = process.env['HIKESHI_STOP_RUNS'] === undefined ? 4 : 10;
/** Past the grace period: the process's exit itself, on a machine shared with other test runs. */
const MARGIN_MS = 1_500;

let slack: Awaited<ReturnType<typeof startObservedEmulator>>;
const dataDirs: string[] = [];

beforeEach(async () => {
  slack = await startObservedEmulator();
});

afterEach(async () => {
  killAllAppProcesses();
  await slack.close();
  for (const dir of dataDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function alert(baseUrl: string, key: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
    body: JSON.stringify({ title: `Batch job ${key} failed`, severity: 'error', dedup_key: key }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The next start, in this process: the real app on the same data and Slack, with pacing fast enough to test. */
async function restart(dataDir: string) {
  const logger = createLogger({ level: 'silent' });
  const store = await createStore({
    mode: 'embedded',
    dataDir,
    region: 'us-east-1',
    tables: resolveTableNames({}),
    clock: systemClock,
    logger,
  });
  const app = await buildApp(loadConfig({ PORT: '0', NODE_ENV: 'test', QUEUE: 'memory' }), {
    logger,
    store,
    slackRetryConfig: { retries: 0 },
    slackPacing: { minUpdateIntervalMs: 50, channelPostIntervalMs: 5, updatesPerMinute: 60_000 },
    slack: {
      botToken: slack.emulator.botToken,
      appToken: slack.emulator.appToken,
      apiUrl: slack.emulator.apiUrl,
    },
  });
  return { app, store };
}

describe('SIGTERM with hundreds of Slack messages queued', () => {
  it(
    `stops within the grace period, loses no alert, and the next start posts the rest (${RUNS} run(s))`,
    async () => {
      const figures: Record<string, unknown>[] = [];
      for (let run = 1; run <= RUNS; run += 1) {
        const before = slack.emulator.workspace.messages(CHANNEL).length;
        const dataDir = await mkdtemp(join(tmpdir(), 'hikeshi-stop-'));
        dataDirs.push(dataDir);
        const app = await startAppProcess(dataDir, {
          SLACK_BOT_TOKEN: slack.emulator.botToken,
          SLACK_APP_TOKEN: slack.emulator.appToken,
          SLACK_API_URL: slack.emulator.apiUrl,
          SLACK_ALERT_CHANNEL: CHANNEL,
          ALERTS_API_TOKEN: ALERTS_TOKEN,
          SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
        });
        const keys = Array.from({ length: INCIDENTS }, (_, i) => `stop-${run}-${i}`);
        for (let i = 0; i < keys.length; i += 25) {
          const statuses = await Promise.all(keys.slice(i, i + 25).map((key) => alert(app.baseUrl, key)));
          expect(statuses.every((s) => s === 202)).toBe(true);
        }
        // Repeats of one incident, counted in memory (the fold buffer) when the signal comes.
        const repeats = await Promise.all(
          Array.from({ length: REPEATS }, () => alert(app.baseUrl, keys[0]!)),
        );
        expect(repeats.every((s) => s === 202)).toBe(true);

        const signalledAt = Date.now();
        app.child.kill('SIGTERM');
        const code = await app.exited;
        const stopMs = Date.now() - signalledAt;
        expect(code).toBe(0);
        expect(stopMs).toBeLessThan(GRACE_SECONDS * 1000 + MARGIN_MS);
        const postedBeforeStop = slack.emulator.workspace.messages(CHANNEL).length - before;
        const leftLine = logLines(app).find((l) => typeof l['left'] === 'number');
        expect(leftLine).toBeDefined();
        const left = leftLine as { left: number; posts: number; edits: number; replies: number };
        // What it posted plus what it says it left is every incident (a post cut off in flight may count twice).
        expect(postedBeforeStop + left.posts).toBeGreaterThanOrEqual(INCIDENTS);
        expect(postedBeforeStop + left.posts).toBeLessThanOrEqual(INCIDENTS + 1);

        // Every accepted alert is in the store; the next start posts the backlog, one message per incident.
        const next = await restart(dataDir);
        try {
          const open = await next.store.incidents.listOpen();
          expect(open).toHaveLength(INCIDENTS);
          expect(open.find((i) => i['title'] === `Batch job ${keys[0]!} failed`)?.['count']).toBe(
            REPEATS + 1,
          );
          const restartedAt = Date.now();
          await next.app.start();
          await expect
            .poll(() => slack.emulator.workspace.messages(CHANNEL).length - before, {
              timeout: 150_000,
              interval: 200,
            })
            .toBe(INCIDENTS);
          await next.app.settle();
          const texts = slack.emulator.workspace
            .messages(CHANNEL)
            .slice(before)
            .map((m) => m.text);
          for (const key of keys)
            expect(texts.filter((t) => t.includes(`Batch job ${key} failed`))).toHaveLength(1);
          figures.push({
            stopMs,
            postedBeforeStop,
            left: { posts: left.posts, edits: left.edits, replies: left.replies },
            backlogPostedMs: Date.now() - restartedAt,
          });
        } finally {
          await next.app.stop();
          await next.store.close();
        }
      }
      console.log(
        'Issue 17 B, SIGTERM with 300 queued:',
        JSON.stringify({ graceSeconds: GRACE_SECONDS, figures }),
      );
    },
    240_000 * RUNS,
  );
});
