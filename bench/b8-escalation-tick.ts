/**
 * B8: the escalation tick (issue 19) with 100, 1,000 and 5,000 open incidents routed over 50 escalation policies.
 * Each size runs on a fresh app core (src/app.ts `buildCore`, in this process) with its embedded store in memory,
 * the Slack emulator (in this process, over loopback HTTP) and the manual clock. The incidents are opened through
 * the incident service as alerts are (routes `label:team="t<k>"` → policy `p<k>`), 50 a minute of the manual clock,
 * storm digests on (DIGEST_AFTER 5, the default), then three ticks are timed, each as the scheduler runs them (the flat list's, then the
 * policies'):
 * - start: every chain's first step is due (n steps: targets resolved, nobody on call yet, a thread note each);
 * - steady: a minute later, nothing is due (the usual tick);
 * - advance: five minutes later, a tenth of the chains move to their second step (a DM each, through the emulator).
 * Goal (the issue's): the steady tick grows no faster than linearly, and stays under a tenth of the tick interval
 * (ESCALATION_TICK_SECONDS, 15 s) at 1,000 incidents.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCore, type HikeshiCore } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { createManualClock } from '../src/domain/clock.js';
import { startSlackEmulator } from '@hikeshi/slack-emulator';
import { localSlackWorkspace } from '../src/local-slack.js';
import { createLogger } from '../src/logger.js';
import { createStore, resolveTableNames } from '../src/store/index.js';
import { subDir, type BenchContext } from './lib/context.js';
import { figure, Recorder, type BenchResult } from './lib/results.js';

const SIZES = [100, 1_000, 5_000] as const;
const POLICIES = 50;
const TICK_SECONDS = 15;
const OPEN_CONCURRENCY = 50;
const START = Date.parse('2026-01-07T12:00:00Z');

/** Policies whose second step is due at the advance tick (five minutes after the first): one in ten. */
const ADVANCING = 10;

/**
 * 50 policies of two steps: the first targets a schedule with nobody on call yet (the engine's own cost: targets
 * resolved, chain claimed and written, a thread note), the second DMs a person; policy k waits 5 + (k mod 10)
 * minutes, so a tenth of the chains move on at the advance tick. A route per policy.
 */
function oncallYaml(): string {
  const policies = Array.from(
    { length: POLICIES },
    (_, k) => `  - id: p${k}
    steps:
      - targets: [{schedule: later}]
        notify: [slack]
        wait_minutes: ${5 + (k % ADVANCING)}
      - targets: [{user: U0BOB0001}]
        notify: [slack]
        wait_minutes: 5
`,
  ).join('');
  const routes = Array.from(
    { length: POLICIES },
    (_, k) => `  - match: ['label:team="t${k}"']\n    policy: p${k}\n`,
  ).join('');
  const later = `schedules:
  - id: later
    time_zone: UTC
    layers:
      - rotation: weekly
        handoff: "09:00"
        start: "2030-01-07"
        users: [U0ALICE01]
`;
  return `${later}escalation_policies:\n${policies}routes:\n${routes}`;
}

interface TickTimes {
  start: number;
  steady: number;
  advance: number;
}

async function timed(core: HikeshiCore, now: number): Promise<{ ms: number; steps: number }> {
  const { escalation, policyEscalation } = core.services;
  const began = performance.now();
  await escalation.tick(now);
  const summary = await policyEscalation.tick(now);
  const ms = performance.now() - began;
  return { ms, steps: (summary.start ?? 0) + (summary.advance ?? 0) + (summary.failed ?? 0) * 1_000_000 };
}

async function measure(size: number, dir: string, rec: Recorder): Promise<TickTimes> {
  const file = join(mkdtempSync(join(dir, `n${size}-`)), 'oncall.yaml');
  writeFileSync(file, oncallYaml());
  const logger = createLogger({ level: 'silent' });
  const clock = createManualClock(START);
  const emulator = await startSlackEmulator({ workspace: localSlackWorkspace() });
  const store = await createStore({
    mode: 'embedded',
    dataDir: dir,
    inMemory: true,
    region: 'us-east-1',
    tables: resolveTableNames({}),
    clock,
    logger,
    sweepIntervalMs: 3_600_000,
  });
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', QUEUE: 'memory', ONCALL_CONFIG: file });
  const core = await buildCore(config, {
    logger,
    clock,
    store,
    slack: { botToken: emulator.botToken, apiUrl: emulator.apiUrl },
    slackRetryConfig: { retries: 0 },
    slackPacing: { minUpdateIntervalMs: 100, channelPostIntervalMs: 20, updatesPerMinute: 60_000 },
  });
  try {
    const { incidents, policyEscalation } = core.services;
    for (let first = 0; first < size; first += OPEN_CONCURRENCY) {
      // A minute per batch, as a long incident-heavy day opens them: each minute's storm digest stays small.
      clock.advance(60_000);
      const batch = Array.from({ length: Math.min(OPEN_CONCURRENCY, size - first) }, (_, j) => first + j);
      await Promise.all(
        batch.map((i) =>
          incidents.ingest({
            action: 'trigger',
            title: `B8 incident ${i}`,
            severity: 'critical',
            source: 'bench',
            dedupKey: `b8-${i}`,
            details: { team: `t${i % POLICIES}` },
            links: [],
          }),
        ),
      );
    }
    await policyEscalation.drain();
    const open = (await incidents.listOpen()).length;
    if (open !== size) rec.error(`B8: ${open} open incidents instead of ${size}`);
    const start = await timed(core, clock.now());
    clock.advance(60_000);
    const steady = await timed(core, clock.now());
    clock.advance(4 * 60_000);
    const advance = await timed(core, clock.now());
    // Every chain started, none moved at the steady tick, a tenth at the advance tick (and none failed).
    const expected = [size, 0, size / ADVANCING];
    const got = [start.steps, steady.steps, advance.steps];
    if (got.join() !== expected.join()) {
      rec.error(`B8: steps taken ${got.join('/')}, expected ${expected.join('/')}`);
    }
    return { start: start.ms, steady: steady.ms, advance: advance.ms };
  } finally {
    await core.stop();
    await store.close();
    await emulator.close();
  }
}

export async function runB8(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder(
    'B8',
    'Escalation tick: open incidents over 50 policies (in process, embedded store)',
  );
  const dir = subDir(ctx, 'b8');
  const times = new Map<number, TickTimes[]>(SIZES.map((n) => [n, []]));
  for (let run = 0; run < ctx.runs; run += 1) {
    for (const size of SIZES) {
      const t = await measure(size, dir, rec);
      times.get(size)?.push(t);
      ctx.log(
        `B8 run ${run + 1}, ${size} incidents: start ${t.start.toFixed(0)} ms, steady ${t.steady.toFixed(1)} ms, advance ${t.advance.toFixed(0)} ms`,
      );
    }
  }
  const runs = (n: number, key: keyof TickTimes) => (times.get(n) ?? []).map((t) => t[key]);
  const budgetMs = (TICK_SECONDS * 1000) / 10;
  for (const n of SIZES) {
    rec.add(
      figure(
        `B8.steady.${n}`,
        `steady tick, ${n.toLocaleString('en')} open incidents`,
        'ms',
        runs(n, 'steady'),
        {
          ...(n === 1_000
            ? { goal: (m: number) => ({ text: `< ${budgetMs} ms (tick / 10)`, met: m < budgetMs }) }
            : {}),
        },
      ),
    );
  }
  for (const n of SIZES) {
    rec.add(
      figure(`B8.start.${n}`, `tick starting ${n.toLocaleString('en')} first steps`, 'ms', runs(n, 'start')),
    );
    rec.add(
      figure(
        `B8.advance.${n}`,
        `tick moving ${(n / ADVANCING).toLocaleString('en')} of ${n.toLocaleString('en')} chains on (a DM each)`,
        'ms',
        runs(n, 'advance'),
      ),
    );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const growth = median(runs(5_000, 'steady')) / Math.max(1e-6, median(runs(100, 'steady')));
  rec.add(
    figure('B8.growth', 'steady tick 5,000 ÷ 100 incidents (linear: 50)', '×', [growth], {
      goal: (m) => ({ text: '≤ 50 (no faster than linear)', met: m <= 50 }),
    }),
  );
  rec.note(
    'Each size on a fresh app core and in-memory store in the benchmark process; the Slack emulator in the same process. ' +
      'A tick here is what the scheduler runs every ESCALATION_TICK_SECONDS: the flat list’s tick (it lists open incidents and skips those on a policy) and the policies’ tick (one Query of the due index). ' +
      'The start tick takes every chain’s first step at once (nobody on call yet: the engine’s own cost); the advance tick moves a tenth of them on, with a DM each through the emulator. ' +
      'The machine is shared with other work, so absolute times vary between runs: the runs column gives the range.',
  );
  return rec.result();
}
