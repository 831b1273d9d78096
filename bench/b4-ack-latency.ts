/**
 * B4: ack latency of bursts of 200 concurrent signed block_actions over HTTP (Bolt's HTTP receiver), with the real
 * listeners (Watching and Acknowledge on open incidents; their store writes, message edits and ephemeral answers
 * run after the ack), compared with a bare Bolt app whose only listener acks. Payloads are what Slack sends for
 * clicks by 200 different people on the incidents' buttons (built by the emulator, response_urls included); both
 * apps get the same kind of bursts, alternately.
 */
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import {
  ALERT_CHANNEL,
  ALERTS_TOKEN,
  startEmulator,
  startHikeshi,
  type RunningEmulator,
} from './lib/hikeshi.js';
import { runBursts } from './lib/load.js';
import { spawnTs } from './lib/process.js';
import { figure, percentile, Recorder, type BenchResult } from './lib/results.js';

const INCIDENTS = 5;
const CONCURRENCY = 200;
const BURSTS = 5;
const PAUSE_MS = 500;
const ACTIONS = ['incident_watch', 'incident_ack'];

export async function runB4(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B4', 'Ack latency: bursts of 200 concurrent signed block_actions over HTTP');
  const logDir = subDir(ctx, 'b4');
  const p99 = { hikeshi: [] as number[], bare: [] as number[] };
  const p50 = { hikeshi: [] as number[], bare: [] as number[] };
  await withProcesses(async (track) => {
    const emulator = track(await startEmulator(logDir));
    const app = track(await startHikeshi({ logDir, emulator: emulator.info }));
    await openIncidents(app.url, emulator);
    const bare = track(
      spawnTs(
        'bare-bolt',
        'bench/servers/bare-bolt.ts',
        [emulator.info.signingSecret, emulator.info.botToken, emulator.info.apiUrl],
        { logDir },
      ),
    );
    const { port } = await bare.announcement<{ port: number }>();
    const targets = { bare: `http://127.0.0.1:${port}/slack/events`, hikeshi: `${app.url}/slack/events` };
    const burst = async (name: keyof typeof targets, bursts: number) => {
      const payloads = await emulator.blockActions({
        channel: ALERT_CHANNEL,
        count: CONCURRENCY * bursts,
        actionIds: ACTIONS,
      });
      const r = await runBursts(logDir, {
        url: targets[name],
        signingSecret: emulator.info.signingSecret,
        payloads,
        bursts,
        concurrency: CONCURRENCY,
        pauseMs: PAUSE_MS,
      });
      if (r.non2xx > 0 || r.errors > 0) {
        rec.error(`B4 ${name}: ${r.non2xx} non-2xx answers and ${r.errors} failed requests`);
      }
      return r.latencies;
    };
    await burst('bare', 1);
    await burst('hikeshi', 1);
    for (let run = 0; run < ctx.runs; run += 1) {
      for (const name of ['bare', 'hikeshi'] as const) {
        const latencies = await burst(name, BURSTS);
        p50[name].push(percentile(latencies, 50));
        p99[name].push(percentile(latencies, 99));
      }
    }
    ctx.log(
      `B4 p99: Hikeshi ${p99.hikeshi.map((v) => v.toFixed(0)).join(', ')} ms; bare ${p99.bare.map((v) => v.toFixed(0)).join(', ')} ms`,
    );
  }, rec.errors);
  const bareP99 = figure('B4.bare.p99', 'bare Bolt ack p99', 'ms', p99.bare);
  rec.add(figure('B4.bare.p50', 'bare Bolt ack p50', 'ms', p50.bare));
  rec.add(bareP99);
  const bareP50 = rec.figures[0]!;
  rec.add(
    figure('B4.p50', 'Hikeshi ack p50 (real listeners)', 'ms', p50.hikeshi, {
      comparison: { label: 'bare Bolt', value: bareP50.median },
    }),
  );
  rec.add(
    figure('B4.p99', 'Hikeshi ack p99 (real listeners)', 'ms', p99.hikeshi, {
      comparison: { label: 'bare Bolt', value: bareP99.median },
      goal: (_m, ratio) => ({
        text: '≤ 1.5 × bare Bolt (Slack allows 3 s)',
        met: (ratio ?? Infinity) <= 1.5,
      }),
    }),
  );
  rec.note(
    `Each run: ${BURSTS} bursts of ${CONCURRENCY} concurrent clicks (Watching and Acknowledge, ${INCIDENTS} incidents), ${PAUSE_MS} ms apart; latency is request sent → ack received.`,
  );
  return rec.result();
}

/** Opens the incidents to click on and waits until their messages (with buttons) are in the channel. */
async function openIncidents(url: string, emulator: RunningEmulator): Promise<void> {
  for (let i = 0; i < INCIDENTS; i += 1) {
    const res = await fetch(`${url}/api/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTS_TOKEN}` },
      body: JSON.stringify({
        title: `Checkout errors ${i + 1}`,
        severity: 'error',
        dedup_key: `b4-${Date.now()}-${i}`,
      }),
    });
    if (res.status !== 202) throw new Error(`B4: opening an incident answered ${res.status}`);
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const state = await emulator.state(ALERT_CHANNEL);
    const posted = state.messages.filter(
      (m) => m.thread_ts === undefined && m.rendered.includes('incident_ack'),
    );
    if (posted.length >= INCIDENTS) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('B4: the incidents were not posted within 60 s');
}
