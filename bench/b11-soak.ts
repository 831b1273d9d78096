/**
 * B11: memory under a steady load. A 10-minute soak (BENCH_SOAK_SECONDS) of mixed traffic at a fixed rate —
 * distinct alerts, repeats of a few hundred fingerprints, and job reports over 200 jobs — against Hikeshi as a
 * production start runs it (its HTTP workers included), with the resident memory of the whole process tree sampled
 * every 10 s. Memory may grow while caches fill; the goal is that it has stopped: the last half of the soak grows
 * by less than 5%.
 */
import { readFileSync } from 'node:fs';
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import { ALERTS_TOKEN, JOB_SECRET, startEmulator, startHikeshi } from './lib/hikeshi.js';
import { loadErrors, runLoad } from './lib/load.js';
import type { BodySpec } from './lib/load-spec.js';
import { figure, Recorder, type BenchResult } from './lib/results.js';

const SAMPLE_EVERY_MS = 10_000;
/** Requests per second of each kind: a busy production day, well under what the app can take. */
const RATES: { name: string; path: string; headers: Record<string, string>; body: BodySpec; rate: number }[] =
  [
    {
      name: 'distinct alerts',
      path: '/api/alerts',
      headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
      body: { kind: 'alert-distinct', prefix: 'b11' },
      rate: 20,
    },
    {
      name: 'repeated alerts',
      path: '/api/alerts',
      headers: { authorization: `Bearer ${ALERTS_TOKEN}` },
      body: { kind: 'alert-rotate', prefix: 'b11r', fingerprints: 300 },
      rate: 200,
    },
    {
      name: 'job reports',
      path: '/api/monitor/job-report',
      headers: { 'x-tc-portal-webhook-secret': JOB_SECRET },
      body: { kind: 'job-report', prefix: 'b11', jobs: 200 },
      rate: 100,
    },
  ];

/** Resident memory (KB) of a process and every descendant, from /proc. */
export function treeRssKb(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      for (const task of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').split(' ')) {
        if (task.trim() !== '') visit(Number(task));
      }
    } catch {
      // The process ended between two reads.
    }
  };
  visit(pid);
  return total;
}

export async function runB11(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B11', 'Memory soak: mixed alerts and job reports at a fixed rate');
  const seconds = Math.max(60, Number(process.env['BENCH_SOAK_SECONDS'] ?? 600));
  const logDir = subDir(ctx, 'b11');
  const samples: number[] = [];
  await withProcesses(async (track) => {
    const emulator = track(await startEmulator(logDir));
    const app = track(await startHikeshi({ logDir, emulator: emulator.info }));
    const sampler = setInterval(() => samples.push(treeRssKb(app.child.pid) / 1024), SAMPLE_EVERY_MS);
    samples.push(treeRssKb(app.child.pid) / 1024);
    try {
      const results = await Promise.all(
        RATES.map((kind) =>
          runLoad(logDir, {
            url: `${app.url}${kind.path}`,
            headers: kind.headers,
            body: kind.body,
            connections: 4,
            overallRate: kind.rate,
            duration: seconds,
          }),
        ),
      );
      results.forEach((r, i) => rec.error(...loadErrors(`B11 ${RATES[i]?.name ?? ''}`, r)));
    } finally {
      clearInterval(sampler);
    }
    samples.push(treeRssKb(app.child.pid) / 1024);
  }, rec.errors);
  const half = samples[Math.floor(samples.length / 2)] ?? 0;
  const last = samples.at(-1) ?? 0;
  const growth = half > 0 ? (last - half) / half : 0;
  ctx.log(`B11 RSS (MB) every ${SAMPLE_EVERY_MS / 1000} s: ${samples.map((s) => s.toFixed(0)).join(' ')}`);
  rec.note(
    `${seconds} s at ${RATES.map((k) => `${k.rate} req/s ${k.name}`).join(', ')}; RSS of the process tree: ` +
      `${samples[0]?.toFixed(0)} MB at the start, ${half.toFixed(0)} MB at half time, ${last.toFixed(0)} MB at the end.`,
  );
  rec.add(
    figure('B11.growth', 'RSS growth over the last half of the soak', '%', [growth * 100], {
      goal: () => ({ text: '< 5%', met: growth < 0.05 }),
    }),
  );
  rec.add(figure('B11.rss', 'RSS of the process tree at the end', 'MB', [last]));
  return rec.result();
}
