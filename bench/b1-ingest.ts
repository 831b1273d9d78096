/**
 * B1: ingest throughput and latency. `POST /api/alerts` with a distinct alert per request (each opens an
 * incident) and `POST /api/monitor/job-report` (each a new run): req/s at 50 connections and p50/p99 at 10,
 * on the embedded store, compared with the store's ceiling and a bare node:http server measured in this run.
 */
import { httpCeiling, storeCeiling, storeLatencyFloor, type Ceiling } from './lib/ceilings.js';
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import { ALERTS_TOKEN, JOB_SECRET, startEmulator, startHikeshi } from './lib/hikeshi.js';
import { loadErrors, runLoad } from './lib/load.js';
import type { BodySpec, LoadResult } from './lib/load-spec.js';
import { figure, Recorder, type BenchResult } from './lib/results.js';

export const SAMPLE_ALERT = JSON.stringify({
  title: 'Bench alert',
  severity: 'warning',
  dedup_key: 'sample',
});

interface Endpoint {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: BodySpec;
  /** Store round trips each request makes one after another (its p99 is compared with the store's for as many). */
  storeTripsInARow: number;
}

const ENDPOINTS: Endpoint[] = [
  {
    name: 'alerts',
    path: '/api/alerts',
    headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
    body: { kind: 'alert-distinct', prefix: 'b1' },
    // Is an incident open for the fingerprint, a number, the claim of the fingerprint, its place in the minute's
    // count (storm digests), the create and, during a storm (this is one), its membership of the minute's digest.
    storeTripsInARow: 6,
  },
  {
    name: 'job-report',
    path: '/api/monitor/job-report',
    headers: { 'x-tc-portal-webhook-secret': JOB_SECRET },
    body: { kind: 'job-report', prefix: 'b1', jobs: 200 },
    // The report's claim, the latest run, the history and latest rows (one batch), then the job's schedule and
    // its failure incident side by side.
    storeTripsInARow: 4,
  },
];

export async function runB1(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B1', 'Ingest: distinct alerts and job reports, embedded store');
  const store = await storeCeiling(ctx);
  const http = await httpCeiling(ctx, SAMPLE_ALERT);
  rec.add(figure('B1.ceiling.store', store.label, 'ops/s', store.runs));
  rec.add(figure('B1.ceiling.http', http.label, 'req/s', http.runs));
  for (const trips of new Set(ENDPOINTS.map((e) => e.storeTripsInARow))) {
    const floor = await storeLatencyFloor(ctx, trips);
    rec.add(figure(`B1.floor.store-${trips}`, floor.label, 'ms', floor.runs));
  }
  for (const endpoint of ENDPOINTS) {
    // Measured once per number of trips above (storeLatencyFloor is memoised).
    const floor = await storeLatencyFloor(ctx, endpoint.storeTripsInARow);
    await measure(ctx, rec, endpoint, store, http, floor);
  }
  return rec.result();
}

async function measure(
  ctx: BenchContext,
  rec: Recorder,
  endpoint: Endpoint,
  store: Ceiling,
  http: Ceiling,
  floor: Ceiling,
): Promise<void> {
  const logDir = subDir(ctx, `b1-${endpoint.name}`);
  await withProcesses(async (track) => {
    const emulator = track(await startEmulator(logDir));
    const app = track(await startHikeshi({ logDir, emulator: emulator.info }));
    const load = (connections: number, duration: number): Promise<LoadResult> =>
      runLoad(logDir, {
        url: `${app.url}${endpoint.path}`,
        headers: endpoint.headers,
        body: endpoint.body,
        connections,
        duration,
      });
    const check = (what: string, r: LoadResult) => rec.error(...loadErrors(`B1 ${endpoint.name} ${what}`, r));
    check('warm-up', await load(50, 2));
    const rps: number[] = [];
    const p50: number[] = [];
    const p99: number[] = [];
    for (let i = 0; i < ctx.runs; i += 1) {
      const r = await load(50, ctx.seconds);
      check('50 connections', r);
      rps.push(r.rps);
    }
    for (let i = 0; i < ctx.runs; i += 1) {
      const r = await load(10, ctx.seconds);
      check('10 connections', r);
      p50.push(r.p50);
      p99.push(r.p99);
    }
    ctx.log(
      `B1 ${endpoint.name}: ${rps.map((r) => r.toFixed(0)).join(', ')} req/s; p99 ${p99.join(', ')} ms`,
    );
    rec.add(
      figure(`B1.${endpoint.name}.rps`, `${endpoint.path} req/s, 50 connections`, 'req/s', rps, {
        comparison: { label: 'store ceiling', value: store.median },
        also: [{ label: 'bare node:http', value: http.median }],
        goal: (_m, ratio) => ({ text: '≥ 0.5 × store ceiling', met: (ratio ?? 0) >= 0.5 }),
      }),
    );
    rec.add(figure(`B1.${endpoint.name}.p50`, `${endpoint.path} p50, 10 connections`, 'ms', p50));
    rec.add(
      figure(`B1.${endpoint.name}.p99`, `${endpoint.path} p99, 10 connections`, 'ms', p99, {
        comparison: { label: `store p99, ${endpoint.storeTripsInARow} puts in a row`, value: floor.median },
        goal: (m) => ({ text: '≤ 25 ms', met: m <= 25 }),
      }),
    );
  }, rec.errors);
}
