/**
 * B3: 10,000 alerts over 10 fingerprints in 10 s (1,000 req/s), with the Slack emulator enforcing Slack's limits:
 * chat.postMessage one per second per channel, chat.update Tier 3 (50 a minute). Then, read from the emulator:
 * exactly 10 top-level posts, no 429, at most one edit per second per message, and every message ending with its
 * exact count (1,000). A count that never arrives is an error; the rest are goals.
 */
import { randomBytes } from 'node:crypto';
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

const ALERTS = 10_000;
const FINGERPRINTS = 10;
const RATE = 1_000;
const SETTLE_TIMEOUT_MS = 120_000;

interface StormOutcome {
  topLevel: number;
  rateLimited: number;
  /** Shortest gap between two edits of one message, ms. */
  minEditGapMs: number;
  updates: number;
  /** The most chat.update calls in any 60 s window. */
  maxUpdatesPerMinute: number;
  /** From the last answer to every message showing its exact count, s. */
  settleSeconds: number;
  p99: number;
}

export async function runB3(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B3', '10,000 alerts over 10 fingerprints in 10 s under Slack rate limits');
  const outcomes: StormOutcome[] = [];
  for (let run = 0; run < ctx.runs; run += 1) {
    const outcome = await stormOnce(ctx, rec);
    if (outcome) outcomes.push(outcome);
  }
  const pick = (f: (o: StormOutcome) => number) => outcomes.map(f);
  rec.add(
    figure(
      'B3.posts',
      'top-level posts',
      'count',
      pick((o) => o.topLevel),
      {
        goal: () => ({ text: 'exactly 10', met: outcomes.every((o) => o.topLevel === FINGERPRINTS) }),
      },
    ),
  );
  rec.add(
    figure(
      'B3.429',
      'answers 429 (ratelimited)',
      'count',
      pick((o) => o.rateLimited),
      {
        goal: () => ({ text: '0', met: outcomes.every((o) => o.rateLimited === 0) }),
      },
    ),
  );
  rec.add(
    figure(
      'B3.edit-gap',
      'shortest gap between two edits of one message',
      'ms',
      pick((o) => o.minEditGapMs),
      {
        goal: () => ({ text: '≥ 1000 ms (≤ 1 edit/s)', met: outcomes.every((o) => o.minEditGapMs >= 1_000) }),
      },
    ),
  );
  rec.add(
    figure(
      'B3.updates',
      'chat.update calls in all',
      'calls',
      pick((o) => o.updates),
    ),
  );
  rec.add(
    figure(
      'B3.updates-minute',
      'most chat.update calls in any 60 s',
      'calls',
      pick((o) => o.maxUpdatesPerMinute),
      {
        goal: () => ({ text: '≤ 50 (Tier 3)', met: outcomes.every((o) => o.maxUpdatesPerMinute <= 50) }),
      },
    ),
  );
  rec.add(
    figure(
      'B3.settle',
      'last alert → every message shows its exact count',
      's',
      pick((o) => o.settleSeconds),
      {
        goal: () => ({ text: 'final counts exact', met: outcomes.length === ctx.runs }),
      },
    ),
  );
  rec.add(
    figure(
      'B3.p99',
      'alert p99 at 1,000 req/s',
      'ms',
      pick((o) => o.p99),
    ),
  );
  return rec.result();
}

async function stormOnce(ctx: BenchContext, rec: Recorder): Promise<StormOutcome | undefined> {
  const logDir = subDir(ctx, 'b3');
  return withProcesses(async (track) => {
    const emulator = track(await startEmulator(logDir));
    await emulator.setLimits([
      { method: 'chat.postMessage', limit: { perChannelPerSecond: 1 } },
      { method: 'chat.update', limit: { perMinute: 50 } },
    ]);
    // Each of the ten incidents gets its own message here (B3 is about coalescing one message's edits); ten
    // distinct alerts in a minute would otherwise put five of them in a storm digest (B9).
    const app = track(await startHikeshi({ logDir, emulator: emulator.info, env: { DIGEST_AFTER: '0' } }));
    const prefix = `b3-${randomBytes(4).toString('hex')}`;
    const r = await runLoad(logDir, {
      url: `${app.url}/api/alerts`,
      headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
      body: { kind: 'alert-rotate', prefix, fingerprints: FINGERPRINTS },
      connections: 20,
      amount: ALERTS,
      overallRate: RATE,
    });
    rec.error(...loadErrors('B3', r));
    const done = Date.now();
    const expected = ALERTS / FINGERPRINTS;
    let state: EmulatorState = await emulator.state(ALERT_CHANNEL);
    while (!settled(state, expected) && Date.now() - done < SETTLE_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      state = await emulator.state(ALERT_CHANNEL);
    }
    const settleSeconds = (Date.now() - done) / 1000;
    if (!settled(state, expected)) {
      rec.error(
        `B3: after ${SETTLE_TIMEOUT_MS / 1000} s the messages show ${counts(state).join(', ')}, not ${expected} each`,
      );
      return undefined;
    }
    const outcome = measure(state, settleSeconds, r.p99);
    ctx.log(
      `B3: ${outcome.topLevel} posts, ${outcome.rateLimited} × 429, ${outcome.updates} edits, min gap ${outcome.minEditGapMs} ms, settled ${settleSeconds.toFixed(1)} s`,
    );
    return outcome;
  }, rec.errors);
}

const topLevel = (state: EmulatorState) =>
  state.messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);

function counts(state: EmulatorState): number[] {
  return topLevel(state).map((m) => Number(/seen \*(\d+)\* time/.exec(m.rendered)?.[1] ?? 0));
}

function settled(state: EmulatorState, expected: number): boolean {
  const c = counts(state);
  return c.length >= FINGERPRINTS && c.every((n) => n === expected);
}

function measure(state: EmulatorState, settleSeconds: number, p99: number): StormOutcome {
  const updates = state.calls.filter((c) => c.method === 'chat.update' && c.ok);
  const byMessage = new Map<string, number[]>();
  for (const call of updates) {
    const list = byMessage.get(String(call.ts)) ?? [];
    list.push(call.at);
    byMessage.set(String(call.ts), list);
  }
  let minEditGapMs = Number.POSITIVE_INFINITY;
  for (const times of byMessage.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i += 1)
      minEditGapMs = Math.min(minEditGapMs, times[i]! - times[i - 1]!);
  }
  const all = updates.map((c) => c.at).sort((a, b) => a - b);
  let maxUpdatesPerMinute = 0;
  for (let i = 0, j = 0; i < all.length; i += 1) {
    while (all[i]! - all[j]! >= 60_000) j += 1;
    maxUpdatesPerMinute = Math.max(maxUpdatesPerMinute, i - j + 1);
  }
  return {
    topLevel: topLevel(state).length,
    rateLimited: state.calls.filter((c) => c.error === 'ratelimited').length,
    minEditGapMs: Number.isFinite(minEditGapMs) ? minEditGapMs : 0,
    updates: updates.length,
    maxUpdatesPerMinute,
    settleSeconds,
    p99,
  };
}
