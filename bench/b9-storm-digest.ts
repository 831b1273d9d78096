/**
 * B9: a storm of 500 distinct alerts (issue 20), with the Slack emulator enforcing every rate limit Slack documents
 * (its SLACK_RATE_LIMITS: one post a second per channel, chat.update Tier 3 50 a minute, …) and the app at
 * production pacing and DIGEST_AFTER 5. Two shapes, each on a fresh app and emulator:
 * - spread: 500 alerts paced evenly over one minute (9 a second), the storm of the issue;
 * - burst: 500 alerts as fast as 20 connections send them.
 * Read from the emulator while it runs (every 250 ms): an incident is visible when it has its own top-level
 * message or is counted by a digest message's "+N". Times start at the storm's first post to Slack (the load
 * generator's process start is not the storm's). The per-alert delay of the spread storm is the time from the k-th
 * alert's send (the first plus (k − 1) / 9 s: the load is paced evenly) to the moment k incidents were visible.
 */
import { randomBytes } from 'node:crypto';
import { SLACK_RATE_LIMITS } from '@hikeshi/slack-emulator';
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import {
  ALERT_CHANNEL,
  ALERTS_TOKEN,
  startEmulator,
  startHikeshi,
  type EmulatorState,
} from './lib/hikeshi.js';
import { loadErrors, runLoad } from './lib/load.js';
import { figure, Recorder, type BenchResult } from './lib/results.js';

const ALERTS = 500;
const SPREAD_RATE = 9;
const SETTLE_TIMEOUT_MS = 180_000;
const POLL_MS = 250;

interface StormOutcome {
  /** From the storm's first post to every incident visible, s. */
  allVisibleSeconds: number;
  /** Spread only: the longest an alert waited to be visible, s. */
  worstDelaySeconds: number;
  rateLimited: number;
  ownMessages: number;
  digests: number;
  /** The most chat.update calls in any 60 s window. */
  maxUpdatesPerMinute: number;
}

/** Incidents Slack shows: those with their own message, and those a digest counts. */
function visible(state: EmulatorState): { own: number; digests: number; total: number } {
  let own = 0;
  let digests = 0;
  let counted = 0;
  for (const m of state.messages) {
    if (m.thread_ts !== undefined && m.thread_ts !== m.ts) continue;
    if (m.metadata?.event_type === 'hikeshi_incident') own += 1;
    if (m.metadata?.event_type === 'hikeshi_digest') {
      digests += 1;
      counted += Number(/\+(\d+) incidents?/.exec(m.text)?.[1] ?? 0);
    }
  }
  return { own, digests, total: own + counted };
}

function maxPerMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= 60_000) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function stormOnce(
  ctx: BenchContext,
  rec: Recorder,
  shape: 'spread' | 'burst',
): Promise<StormOutcome | undefined> {
  const logDir = subDir(ctx, `b9-${shape}`);
  return withProcesses(async (track) => {
    const emulator = track(await startEmulator(logDir));
    await emulator.setLimits(
      Object.entries(SLACK_RATE_LIMITS).map(([method, limit]) => ({ method, limit: { ...limit } })),
    );
    const app = track(await startHikeshi({ logDir, emulator: emulator.info, env: { DIGEST_AFTER: '5' } }));
    // k incidents visible first at reached[k - 1] (epoch ms), from polls while the storm runs and after.
    const reached: number[] = [];
    let state: EmulatorState = await emulator.state(ALERT_CHANNEL);
    let polling = true;
    const poll = async () => {
      while (polling) {
        state = await emulator.state(ALERT_CHANNEL);
        const { total } = visible(state);
        while (reached.length < total) reached.push(Date.now());
        if (total >= ALERTS) return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    const poller = poll();
    const r = await runLoad(logDir, {
      url: `${app.url}/api/alerts`,
      headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
      body: { kind: 'alert-storm', prefix: `b9-${randomBytes(3).toString('hex')}` },
      connections: 20,
      amount: ALERTS,
      ...(shape === 'spread' ? { overallRate: SPREAD_RATE } : {}),
    });
    rec.error(...loadErrors(`B9 ${shape}`, r));
    const timeout = setTimeout(() => (polling = false), SETTLE_TIMEOUT_MS);
    await poller;
    clearTimeout(timeout);
    polling = false;
    const shown = visible(state);
    if (shown.total < ALERTS) {
      rec.error(
        `B9 ${shape}: after ${SETTLE_TIMEOUT_MS / 1000} s only ${shown.total} of ${ALERTS} incidents are visible`,
      );
      return undefined;
    }
    const posts = state.calls.filter((c) => c.method === 'chat.postMessage' && c.ok).map((c) => c.at);
    const start = Math.min(...posts);
    const worst =
      shape === 'spread'
        ? Math.max(...reached.slice(0, ALERTS).map((at, k) => at - (start + (k * 1000) / SPREAD_RATE)))
        : Number.NaN;
    const outcome: StormOutcome = {
      allVisibleSeconds: (reached[ALERTS - 1]! - start) / 1000,
      worstDelaySeconds: worst / 1000,
      rateLimited: state.calls.filter((c) => c.error === 'ratelimited').length,
      ownMessages: shown.own,
      digests: shown.digests,
      maxUpdatesPerMinute: maxPerMinute(
        state.calls.filter((c) => c.method === 'chat.update' && c.ok).map((c) => c.at),
      ),
    };
    ctx.log(
      `B9 ${shape}: all ${ALERTS} visible ${outcome.allVisibleSeconds.toFixed(1)} s after the first post` +
        `${shape === 'spread' ? `, worst alert → visible ${outcome.worstDelaySeconds.toFixed(1)} s` : ''}; ` +
        `${outcome.ownMessages} own messages, ${outcome.digests} digests, ${outcome.rateLimited} × 429, ` +
        `at most ${outcome.maxUpdatesPerMinute} chat.update in 60 s`,
    );
    return outcome;
  }, rec.errors);
}

export async function runB9(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B9', '500 distinct alerts in one minute under Slack rate limits (storm digests)');
  const outcomes: Record<'spread' | 'burst', StormOutcome[]> = { spread: [], burst: [] };
  for (let run = 0; run < ctx.runs; run += 1) {
    for (const shape of ['spread', 'burst'] as const) {
      const outcome = await stormOnce(ctx, rec, shape);
      if (outcome) outcomes[shape].push(outcome);
    }
  }
  const { spread, burst } = outcomes;
  const all = [...spread, ...burst];
  const complete = spread.length === ctx.runs && burst.length === ctx.runs;
  rec.add(
    figure(
      'B9.spread.delay',
      'spread: longest alert → visible in Slack',
      's',
      spread.map((o) => o.worstDelaySeconds),
      {
        goal: (m) => ({
          text: '≤ 60 s',
          met: complete && spread.every((o) => o.worstDelaySeconds <= 60) && m <= 60,
        }),
      },
    ),
  );
  rec.add(
    figure(
      'B9.spread.all',
      'spread: first post → all 500 visible',
      's',
      spread.map((o) => o.allVisibleSeconds),
    ),
  );
  rec.add(
    figure(
      'B9.burst.all',
      'burst: first post → all 500 visible',
      's',
      burst.map((o) => o.allVisibleSeconds),
      { goal: () => ({ text: '≤ 60 s', met: complete && burst.every((o) => o.allVisibleSeconds <= 60) }) },
    ),
  );
  rec.add(
    figure(
      'B9.429',
      'answers 429 (ratelimited), both shapes',
      'count',
      all.map((o) => o.rateLimited),
      { goal: () => ({ text: '0', met: complete && all.every((o) => o.rateLimited === 0) }) },
    ),
  );
  rec.add(
    figure(
      'B9.posts',
      'spread: top-level messages (own + digests)',
      'count',
      spread.map((o) => o.ownMessages + o.digests),
    ),
  );
  rec.add(
    figure(
      'B9.updates-minute',
      'spread: most chat.update calls in any 60 s',
      'calls',
      spread.map((o) => o.maxUpdatesPerMinute),
      {
        goal: () => ({
          text: '≤ 50 (Tier 3)',
          met: all.every((o) => o.maxUpdatesPerMinute <= 50),
        }),
      },
    ),
  );
  rec.note(
    'Each run is a fresh app and emulator; the emulator enforces every documented Slack limit (SLACK_RATE_LIMITS), chat.postMessage without the short bursts Slack tolerates.',
  );
  rec.note(
    'The spread storm crosses a minute boundary in most runs: the first five incidents get their own message, the rest go to one digest per minute. The burst: 5 own messages and 1 digest (2 when it crosses a minute), at most a few edits.',
  );
  rec.note(
    'The longest wait of the spread storm is the 6th to 10th alert: the digest is posted after the five own messages, one a second; later alerts are shown within the digest edit interval (2 s) and the Tier 3 budget.',
  );
  return rec.result();
}
