/**
 * B2: a duplicate storm. One alert repeated (same fingerprint) at 50 connections, against Hikeshi and against
 * Prometheus Alertmanager receiving the same alert through its v2 API, in the same run. Zero errors, and the
 * count exact and durable within 1 s: each Hikeshi run sends a fixed number of requests, waits one second,
 * kills the process (SIGKILL: no shutdown, no flush) and reads the count from the store it left on disk.
 */
import { randomBytes } from 'node:crypto';
import { ALERTMANAGER_STORM, alertmanagerInstalled, startAlertmanager } from './lib/alertmanager.js';
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import { ALERTS_TOKEN, startEmulator, startHikeshi, type EmulatorInfo } from './lib/hikeshi.js';
import { loadErrors, runLoad } from './lib/load.js';
import type { LoadResult } from './lib/load-spec.js';
import { figure, median, Recorder, type BenchResult } from './lib/results.js';
import { storedCount } from './lib/stored.js';

const CONNECTIONS = 50;

export async function runB2(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B2', 'Duplicate storm: one alert repeated, 50 connections');
  const peer = await alertmanagerRuns(ctx, rec);
  const logDir = subDir(ctx, 'b2');
  const ours: number[] = [];
  const p99: number[] = [];
  await withProcesses(async (track) => {
    const emulator = track(await startEmulator(logDir));
    let amount = 0;
    for (let run = 0; run < ctx.runs; run += 1) {
      const r = await stormOnce(rec, logDir, emulator.info, (warmRps) => {
        // The first warm-up sizes every run to about BENCH_SECONDS.
        if (amount === 0) amount = Math.max(2_000, Math.round(warmRps * ctx.seconds));
        return amount;
      });
      ours.push(r.rps);
      p99.push(r.p99);
    }
  }, rec.errors);
  ctx.log(`B2 hikeshi: ${ours.map((r) => r.toFixed(0)).join(', ')} req/s`);
  rec.add(
    figure('B2.rps', 'repeated alert req/s, 50 connections', 'req/s', ours, {
      ...(peer.length > 0 ? { comparison: { label: 'Alertmanager 0.25', value: median(peer) } } : {}),
      goal: (_m, ratio) => ({ text: '≥ 0.5 × Alertmanager', met: (ratio ?? 0) >= 0.5 }),
    }),
  );
  rec.add(figure('B2.p99', 'repeated alert p99, 50 connections', 'ms', p99));
  return rec.result();
}

async function alertmanagerRuns(ctx: BenchContext, rec: Recorder): Promise<number[]> {
  if (!alertmanagerInstalled()) {
    rec.note('Alertmanager is not installed (`apt-get install -y prometheus-alertmanager`): no peer figure.');
    return [];
  }
  const logDir = subDir(ctx, 'b2-alertmanager');
  const runs: number[] = [];
  await withProcesses(async (track) => {
    const am = track(await startAlertmanager(ctx));
    const load = (duration: number) =>
      runLoad(logDir, {
        url: `${am.url}/api/v2/alerts`,
        body: { kind: 'static', text: ALERTMANAGER_STORM },
        connections: CONNECTIONS,
        duration,
      });
    rec.error(...loadErrors('B2 Alertmanager warm-up', await load(2)));
    for (let i = 0; i < ctx.runs; i += 1) {
      const r = await load(ctx.seconds);
      rec.error(...loadErrors('B2 Alertmanager', r));
      runs.push(r.rps);
    }
  }, rec.errors);
  ctx.log(`B2 Alertmanager: ${runs.map((r) => r.toFixed(0)).join(', ')} req/s`);
  rec.add(figure('B2.alertmanager', 'Alertmanager 0.25, same alert, 50 connections', 'req/s', runs));
  return runs;
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
