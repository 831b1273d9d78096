/**
 * B2: a duplicate storm. One alert repeated (same fingerprint) at 50 connections, against Hikeshi and against
 * Prometheus Alertmanager receiving the same alert through its v2 API, in the same run. Zero errors, and the
 * count exact and durable within 1 s: each Hikeshi run sends a fixed number of requests, waits one second,
 * kills the process (SIGKILL: no shutdown, no flush) and reads the count from the store it left on disk.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ALERTMANAGER_STORM, alertmanagerInstalled, startAlertmanager } from './lib/alertmanager.js';
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import { ALERTS_TOKEN, startEmulator, startHikeshi, type EmulatorInfo } from './lib/hikeshi.js';
import { loadErrors, runLoad } from './lib/load.js';
import type { LoadResult } from './lib/load-spec.js';
import { figure, median, Recorder, type BenchResult } from './lib/results.js';
import { storedCount } from './lib/stored.js';

const CONNECTIONS = 50;
/** What a production start on this machine runs (WEB_CONCURRENCY defaults to the number of cores). */
const WORKERS = availableParallelism();

export async function runB2(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B2', 'Duplicate storm: one alert repeated, 50 connections');
  const logDir = subDir(ctx, 'b2');
  const withPeer = alertmanagerInstalled();
  if (!withPeer) {
    rec.note('Alertmanager is not installed (`apt-get install -y prometheus-alertmanager`): no peer figure.');
  }
  const ours: number[] = [];
  const p99: number[] = [];
  const peer: number[] = [];
  await withProcesses(async (track) => {
    const emulator = track(await startEmulator(logDir));
    const am = withPeer ? track(await startAlertmanager(ctx)) : undefined;
    const peerLoad = (url: string, duration: number) =>
      runLoad(logDir, {
        url: `${url}/api/v2/alerts`,
        body: { kind: 'static', text: ALERTMANAGER_STORM },
        connections: CONNECTIONS,
        duration,
      });
    if (am) rec.error(...loadErrors('B2 Alertmanager warm-up', await peerLoad(am.url, 2)));
    let amount = 0;
    // A B A B: Alertmanager and Hikeshi alternate, so both see the same moments of a shared machine.
    for (let run = 0; run < ctx.runs; run += 1) {
      if (am) {
        const r = await peerLoad(am.url, ctx.seconds);
        rec.error(...loadErrors('B2 Alertmanager', r));
        peer.push(r.rps);
      }
      const r = await stormOnce(rec, logDir, emulator.info, (warmRps) => {
        // The first warm-up sizes every run to about BENCH_SECONDS.
        if (amount === 0) amount = Math.max(2_000, Math.round(warmRps * ctx.seconds));
        return amount;
      });
      ours.push(r.rps);
      p99.push(r.p99);
    }
  }, rec.errors);
  ctx.log(`B2 Alertmanager: ${peer.map((r) => r.toFixed(0)).join(', ')} req/s`);
  ctx.log(`B2 hikeshi: ${ours.map((r) => r.toFixed(0)).join(', ')} req/s`);
  if (peer.length > 0) {
    rec.add(figure('B2.alertmanager', 'Alertmanager 0.25, same alert, 50 connections', 'req/s', peer));
  }
  rec.add(
    figure('B2.rps', `repeated alert req/s, 50 connections, ${WORKERS} HTTP workers`, 'req/s', ours, {
      ...(peer.length > 0 ? { comparison: { label: 'Alertmanager 0.25', value: median(peer) } } : {}),
      goal: (_m, ratio) => ({ text: '≥ 1.0 × Alertmanager', met: (ratio ?? 0) >= 1.0 }),
    }),
  );
  if (peer.length === ours.length) {
    // Each Hikeshi run against the Alertmanager run just before it: the range shows how far one pair can stray.
    const ratios = ours.map((r, i) => r / (peer[i] ?? r));
    rec.add(
      figure('B2.ratio', 'Hikeshi ÷ Alertmanager, each alternated pair', '×', ratios, {
        goal: () => ({ text: 'every pair ≥ 1.0', met: Math.min(...ratios) >= 1.0 }),
      }),
    );
  }
  rec.add(figure('B2.p99', 'repeated alert p99, 50 connections', 'ms', p99));
  return rec.result();
}

/**
 * One storm against a fresh Hikeshi: a 2 s warm-up storm (JIT, connections), then the measured storm of a fixed
 * number of requests on another fingerprint; one second after the last answer the process is killed and both
 * counts are read from the store it left.
 */
async function stormOnce(
  rec: Recorder,
  logDir: string,
  emulator: EmulatorInfo,
  size: (warmRps: number) => number,
): Promise<LoadResult> {
  const run = randomBytes(4).toString('hex');
  const app = await startHikeshi({ logDir, emulator, name: `hikeshi-${run}` });
  try {
    const storm = (dedupKey: string, limit: { duration: number } | { amount: number }) =>
      runLoad(logDir, {
        url: `${app.url}/api/alerts`,
        headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
        body: {
          kind: 'static',
          text: JSON.stringify({ title: 'Queue depth above 10k', severity: 'warning', dedup_key: dedupKey }),
        },
        connections: CONNECTIONS,
        ...limit,
      });
    const warm = await storm(`b2-warm-${run}`, { duration: 2 });
    rec.error(...loadErrors('B2 Hikeshi warm-up', warm));
    const r = await storm(`b2-storm-${run}`, { amount: size(warm.rps) });
    rec.error(...loadErrors('B2 Hikeshi', r));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (app.child.crashed()) rec.error(`B2: Hikeshi crashed (see ${app.child.logFile})`);
    await app.child.kill();
    const [warmCount, count] = [
      await storedCount(app.dataDir, `b2-warm-${run}`),
      await storedCount(app.dataDir, `b2-storm-${run}`),
    ];
    // A timed run ends with requests in flight that the server counted: at least its 2xx, maybe more.
    if (warmCount < warm.ok2xx) {
      rec.error(`B2: warm-up answered ${warm.ok2xx} × 2xx but the store kept ${warmCount} after a kill`);
    }
    if (count !== r.ok2xx) {
      rec.error(
        `B2: ${r.ok2xx} alerts answered 2xx but the store counted ${count} one second later (killed)`,
      );
    }
    return r;
  } finally {
    await app.child.kill();
  }
}
