/** How figures read in the console table and in docs/BENCHMARKS.md. */
import type { Figure } from './results.js';

export function num(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'ms') return value < 10 ? value.toFixed(1) : value.toFixed(0);
  if (unit === 's') return value < 10 ? value.toFixed(2) : value.toFixed(1);
  if (unit === 'KB') return value.toFixed(0);
  if (unit === 'count' || unit === 'calls') return value.toFixed(0);
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

export function valueText(f: Figure): string {
  return `${num(f.median, f.unit)} ${f.unit}`;
}

export function runsText(f: Figure): string {
  return f.runs.map((r) => num(r, f.unit)).join(' / ');
}

export function comparisonText(f: Figure): string {
  const all = [...(f.comparison ? [f.comparison] : []), ...(f.also ?? [])];
  return all
    .map((c) => `${(f.median / c.value).toFixed(2)} × ${c.label} (${num(c.value, f.unit)})`)
    .join('; ');
}

export function goalText(f: Figure): string {
  if (!f.goal) return '';
  return `${f.goal.met ? 'met' : 'MISSED'}: ${f.goal.text}`;
}

/** A plain-text table with aligned columns. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function markdownTable(header: string[], rows: string[][]): string {
  const escape = (c: string) => c.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}
