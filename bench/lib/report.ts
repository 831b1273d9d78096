/**
 * The console table and docs/BENCHMARKS.md. Each benchmark's section sits between markers with its figures as
 * JSON in a comment, so running a subset (`npm run bench -- B2`) replaces only those sections, and the summary
 * is rebuilt from every section. The hand-written part (what was changed, before and after) between the
 * `manual` markers is kept as it is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { format, resolveConfig } from 'prettier';
import type { BenchContext } from './context.js';
import { comparisonText, goalText, markdownTable, runsText, textTable, valueText } from './format.js';
import type { BenchResult, Figure, PastRun } from './results.js';

const ORDER = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B11'];

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  date: string;
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8' });
    cpu = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? cpu;
  } catch {
    // lscpu missing: keep what Node reports.
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  };
}

const machineText = (m: Machine) => `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}`;

export function consoleTable(results: BenchResult[]): string {
  const rows = results.flatMap((r) =>
    r.figures.map((f) => [f.id, valueText(f), runsText(f), comparisonText(f), goalText(f)]),
  );
  const errors = results.flatMap((r) => r.errors.map((e) => `ERROR ${e}`));
  return [textTable(['figure', 'median', 'runs', 'compared with', 'goal'], rows), ...errors].join('\n');
}

/** Runs kept per benchmark: a figure that moved by 2 × between runs shows in its range. */
const HISTORY = 3;

const pastRun = (r: BenchResult, date: string): PastRun => ({
  date,
  figures: Object.fromEntries(
    r.figures.map((f) => [f.id, { median: f.median, ...(f.ratio === undefined ? {} : { ratio: f.ratio }) }]),
  ),
});

/**
 * This run in front of the runs the report kept, newest first. A section written before the report kept runs
 * counts as one run (dated as its text says).
 */
function withHistory(
  r: BenchResult,
  date: string,
  previous: { text: string; result: BenchResult } | undefined,
): BenchResult {
  const before =
    previous === undefined
      ? []
      : (previous.result.history ?? [
          pastRun(previous.result, /_Measured (.+?) on /.exec(previous.text)?.[1] ?? 'earlier'),
        ]);
  return { ...r, history: [pastRun(r, date), ...before].slice(0, HISTORY) };
}

/** The figure's ratio (or, without a comparison, its median) over the kept runs: `0.43–0.53 × (3 runs)`. */
function rangeText(f: Figure, history: readonly PastRun[]): string {
  const values = history
    .map((run) => run.figures[f.id])
    .map((v) => (f.ratio === undefined ? v?.median : v?.ratio))
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (values.length < 2) return '';
  const digits = f.ratio === undefined ? (Math.max(...values) >= 100 ? 0 : 1) : 2;
  const low = Math.min(...values).toLocaleString('en-US', { maximumFractionDigits: digits });
  const high = Math.max(...values).toLocaleString('en-US', { maximumFractionDigits: digits });
  return `${low}–${high}${f.ratio === undefined ? ` ${f.unit}` : ' ×'} (${values.length} runs)`;
}

function sectionText(r: BenchResult, m: Machine, ctx: BenchContext): string {
  const history = r.history ?? [];
  const rows = r.figures.map((f) => [
    f.label,
    valueText(f),
    runsText(f),
    comparisonText(f),
    goalText(f),
    rangeText(f, history),
  ]);
  return [
    `## ${r.id}: ${r.title}`,
    '',
    `_Measured ${m.date} on ${machineText(m)}; median of ${ctx.runs} runs (${ctx.seconds} s each where timed); ${r.seconds.toFixed(0)} s in all._`,
    '',
    rows.length > 0
      ? markdownTable(
          ['figure', 'median', 'runs', 'compared with (same run)', 'goal', `last ${HISTORY} full runs`],
          rows,
        )
      : '_No figures._',
    ...(r.notes.length > 0 ? ['', ...r.notes.map((n) => `- ${n}`)] : []),
    ...(r.errors.length > 0 ? ['', '**Errors:**', ...r.errors.map((e) => `- ${e}`)] : []),
    '',
    `<!-- bench-data:${r.id} ${JSON.stringify(r).replaceAll('--', '\\u002d\\u002d')} -->`,
  ].join('\n');
}

function summary(results: BenchResult[]): string {
  const rows = results.flatMap((r) =>
    r.figures.filter((f) => f.goal).map((f) => [r.id, f.label, valueText(f), comparisonText(f), goalText(f)]),
  );
  return markdownTable(['#', 'figure', 'median', 'compared with', 'goal'], rows);
}

const MANUAL_DEFAULT = '## Changes made for these figures\n\n_None recorded yet._';

export async function writeReport(
  path: string,
  results: BenchResult[],
  options: { seconds: number; ctx: BenchContext },
): Promise<void> {
  const m = machine();
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const sections = new Map<string, { text: string; result: BenchResult }>();
  for (const id of ORDER) {
    const match = new RegExp(`<!-- bench:${id}:start -->\\n([\\s\\S]*?)\\n<!-- bench:${id}:end -->`).exec(
      old,
    );
    const data = match?.[1] && new RegExp(`<!-- bench-data:${id} (.*) -->`).exec(match[1])?.[1];
    if (match?.[1] && data) sections.set(id, { text: match[1], result: JSON.parse(data) as BenchResult });
  }
  for (const r of results) {
    const kept = withHistory(r, m.date, sections.get(r.id));
    sections.set(r.id, { text: sectionText(kept, m, options.ctx), result: kept });
  }
  const manual = /<!-- manual:start -->\n([\s\S]*?)\n<!-- manual:end -->/.exec(old)?.[1] ?? MANUAL_DEFAULT;
  const ordered = ORDER.filter((id) => sections.has(id)).map((id) => ({ id, ...sections.get(id)! }));
  const doc = [
    '# Benchmarks',
    '',
    '`npm run bench` runs every benchmark on loopback (`npm run bench -- B2 B5` runs some) and rewrites the',
    'generated sections of this file. Each figure is the median of at least three runs, next to a ceiling or a',
    'peer measured in the same run on the same machine: absolute numbers on a shared 2-core machine mean little,',
    'ratios mean more. Every server, ceiling and load generator (autocannon) runs in a process of its own. The',
    'run fails only on errors (a non-2xx answer, a crashed process, a lost count, a Lambda budget of B6), never on another goal.',
    '',
    `Last run: ${m.date}, ${machineText(m)}; ${options.seconds.toFixed(0)} s for ${results.map((r) => r.id).join(' ')}.`,
    '',
    '## Summary',
    '',
    summary(ordered.map((s) => s.result)),
    '',
    ...ordered.flatMap((s) => [`<!-- bench:${s.id}:start -->`, s.text, `<!-- bench:${s.id}:end -->`, '']),
    '<!-- manual:start -->',
    manual,
    '<!-- manual:end -->',
    '',
  ].join('\n');
  // Formatted as `npm run lint` expects (the tables padded), so a fresh report passes `prettier --check`.
  const style = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(doc, { ...style, filepath: path }));
}
