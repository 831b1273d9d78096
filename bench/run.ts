/**
 * `npm run bench [-- B1 B3 …]`: runs the benchmarks (all, or the ones named) on loopback, prints a table and
 * writes docs/BENCHMARKS.md. Exits 1 only on errors (non-2xx answers, crashed processes, lost counts, a missed
 * Lambda budget of B6), never because another figure missed its goal. Environment: BENCH_RUNS (default 3, at
 * least 3), BENCH_SECONDS (default 5),
 * BENCH_OUT (default docs/BENCHMARKS.md; `-` prints the report only), BENCH_KEEP_LOGS=1, AMQP_URL,
 * BENCH_APP_ROOT (run another checkout's app under this harness, for before/after figures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runB1 } from './b1-ingest.js';
import { runB2 } from './b2-duplicate-storm.js';
import { runB3 } from './b3-slack-limits.js';
import { runB4 } from './b4-ack-latency.js';
import { runB5 } from './b5-webhook-queue.js';
import { runB6 } from './b6-lambda-bundles.js';
import { runB7 } from './b7-escalation.js';
import { runB8 } from './b8-escalation-tick.js';
import { runB9 } from './b9-storm-digest.js';
import { runB11 } from './b11-soak.js';
import type { BenchContext } from './lib/context.js';
import { consoleTable, writeReport } from './lib/report.js';
import type { BenchResult } from './lib/results.js';

const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<BenchResult>> = {
  B1: runB1,
  B2: runB2,
  B3: runB3,
  B4: runB4,
  B5: runB5,
  B6: runB6,
  B7: runB7,
  B8: runB8,
  B9: runB9,
  B11: runB11,
};

// The SDK's Node 22 notice is noise here (bench/lib/stored.ts opens stores in this process).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const requested = process.argv.slice(2).map((a) => a.toUpperCase());
const unknown = requested.filter((id) => !(id in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(' ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? requested : Object.keys(BENCHMARKS);

const logDir = mkdtempSync(join(tmpdir(), 'hikeshi-bench-'));
const ctx: BenchContext = {
  logDir,
  runs: Math.max(3, Number(process.env['BENCH_RUNS'] ?? 3)),
  seconds: Math.max(1, Number(process.env['BENCH_SECONDS'] ?? 5)),
  log: (message) => console.log(`  ${message}`),
};

const started = Date.now();
const results: BenchResult[] = [];
for (const id of selected) {
  const run = BENCHMARKS[id]!;
  console.log(`${id}…`);
  try {
    results.push(await run(ctx));
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results.push({ id, title: id, figures: [], errors: [`${id} failed: ${message}`], notes: [], seconds: 0 });
  }
  const last = results.at(-1)!;
  for (const e of last.errors) console.log(`  ERROR ${e}`);
}

const seconds = (Date.now() - started) / 1000;
console.log(`\n${consoleTable(results)}`);
const out = process.env['BENCH_OUT'] ?? 'docs/BENCHMARKS.md';
if (out !== '-') {
  await writeReport(out, results, { seconds, ctx });
  console.log(`\nWrote ${out} (${seconds.toFixed(0)} s).`);
}
const errors = results.flatMap((r) => r.errors);
if (errors.length > 0) {
  console.log(`\n${errors.length} error(s); logs kept in ${logDir}`);
  process.exit(1);
}
if (process.env['BENCH_KEEP_LOGS'] === '1') console.log(`Logs kept in ${logDir}`);
else rmSync(logDir, { recursive: true, force: true });
