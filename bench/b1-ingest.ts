/**
 * B1: ingest throughput and latency. `POST /api/alerts` with a distinct alert per request (each opens an
 * incident) and `POST /api/monitor/job-report` (each a new run): req/s at 50 connections and p50/p99 at 10,
 * on the embedded store, compared with the store's ceiling and a bare node:http server measured in this run.
 * Job reports are measured twice: spread over 200 job keys, and all for one key (a job that reports often, or
 * a backlog of one job's runs arriving together), with the server's CPU per report at 1 connection.
 */
import { readdirSync, readFileSync } from 'node:fs';
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
  /** Also measure the server's CPU per request at 1 connection (its processes, the store's thread included). */
  cpuPerRequest?: boolean;
  /** Goals for the figures, when they differ from the defaults (0.5 × store ceiling, p99 ≤ 25 ms). */
  goals?: { rpsRatio: number; p99Ratio: number; cpuMs: number };
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
    // The report's claim; the latest run, the schedule (one batch read) and, for a success, the failure
    // incident, side by side; the history and latest rows (one batch write). Reports of one job arriving
    // together share the read and the write (services/job-report-groups.ts).
    storeTripsInARow: 3,
    cpuPerRequest: true,
  },
  {
    name: 'job-report-one-key',
    path: '/api/monitor/job-report',
    headers: { 'x-tc-portal-webhook-secret': JOB_SECRET },
    body: { kind: 'job-report', prefix: 'b1one', jobs: 1 },
    storeTripsInARow: 3,
    cpuPerRequest: true,
    // Issue 22: one key as fast as many.
    goals: { rpsRatio: 0.8, p99Ratio: 0.5, cpuMs: 4 },
  },
];

/** USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, every thread) a process and its descendants (the HTTP workers a production start
 * forks) have used so far, in ms. Linux: /proc/<pid>/stat.
 */
function processTreeCpuMs(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // Fields after the command name (which may hold spaces): state, ppid, … utime (14th of proc(5)), stime.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, depth = 0; p > 1 && depth < 10; depth += 1) {
      if (p === root) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, stat] of stats) if (inTree(pid)) ticks += stat.ticks;
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

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
    const cpu: number[] = [];
    for (let i = 0; endpoint.cpuPerRequest === true && i < ctx.runs; i += 1) {
      const before = processTreeCpuMs(app.child.pid);
      const r = await load(1, ctx.seconds);
      check('1 connection', r);
      cpu.push(Number(((processTreeCpuMs(app.child.pid) - before) / Math.max(1, r.requests)).toFixed(2)));
    }
    ctx.log(
      `B1 ${endpoint.name}: ${rps.map((r) => r.toFixed(0)).join(', ')} req/s; p99 ${p99.join(', ')} ms` +
        (cpu.length > 0 ? `; CPU ${cpu.join(', ')} ms/request at 1 connection` : ''),
    );
    const name = `${endpoint.path}${endpoint.name.endsWith('one-key') ? ' (one job_key)' : ''}`;
    const rpsRatio = endpoint.goals?.rpsRatio ?? 0.5;
    rec.add(
      figure(`B1.${endpoint.name}.rps`, `${name} req/s, 50 connections`, 'req/s', rps, {
        comparison: { label: 'store ceiling', value: store.median },
        also: [{ label: 'bare node:http', value: http.median }],
        goal: (_m, ratio) => ({ text: `≥ ${rpsRatio} × store ceiling`, met: (ratio ?? 0) >= rpsRatio }),
      }),
    );
    rec.add(figure(`B1.${endpoint.name}.p50`, `${name} p50, 10 connections`, 'ms', p50));
    const p99Ratio = endpoint.goals?.p99Ratio;
    rec.add(
      figure(`B1.${endpoint.name}.p99`, `${name} p99, 10 connections`, 'ms', p99, {
        comparison: { label: `store p99, ${endpoint.storeTripsInARow} puts in a row`, value: floor.median },
        goal:
          p99Ratio === undefined
            ? (m) => ({ text: '≤ 25 ms', met: m <= 25 })
            : (_m, ratio) => ({ text: `≤ ${p99Ratio} × store p99`, met: (ratio ?? Infinity) <= p99Ratio }),
      }),
    );
    const cpuGoal = endpoint.goals?.cpuMs;
    if (cpu.length > 0) {
      rec.add(
        figure(`B1.${endpoint.name}.cpu`, `${name} server CPU per request, 1 connection`, 'ms', cpu, {
          ...(cpuGoal === undefined
            ? {}
            : { goal: (m: number) => ({ text: `≤ ${cpuGoal} ms`, met: m <= cpuGoal }) }),
        }),
      );
    }
  }, rec.errors);
}
