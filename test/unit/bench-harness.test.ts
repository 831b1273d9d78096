/**
 * A smoke test of the benchmark harness (`npm run bench` is not part of `npm test`): the request bodies the
 * load generator sends are what the routes accept, the statistics are right, and a partial run rewrites only its
 * own sections of docs/BENCHMARKS.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyMaker } from '../../bench/lib/bodies.js';
import type { BenchContext } from '../../bench/lib/context.js';
import { writeReport } from '../../bench/lib/report.js';
import { figure, median, percentile, type BenchResult } from '../../bench/lib/results.js';
import { parseGenericAlert } from '../../src/domain/sources/generic.js';
import { verifyGitHubSignature } from '../../src/ingress/github-signature.js';

describe('bench bodies', () => {
  it('distinct alerts are valid and never repeat a dedup key', () => {
    const next = bodyMaker({ kind: 'alert-distinct', prefix: 't' });
    const keys = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const parsed = parseGenericAlert(JSON.parse(next().body ?? ''));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) keys.add(parsed.signal.dedupKey ?? '');
    }
    expect(keys.size).toBe(50);
  });

  it('GitHub deliveries are signed the way GitHub signs, each with its own issue and delivery id', async () => {
    const next = bodyMaker({ kind: 'github-issue', secret: 's3cret', label: 'coding agent', prefix: 't' });
    const [a, b] = [next(), next()];
    expect(await verifyGitHubSignature('s3cret', a.body ?? '', a.headers['x-hub-signature-256'])).toBe(true);
    expect(a.headers['x-github-delivery']).not.toBe(b.headers['x-github-delivery']);
    const issue = (r: typeof a) => (JSON.parse(r.body ?? '{}') as { issue: { number: number } }).issue.number;
    expect(issue(b)).toBe(issue(a) + 1);
  });
});

describe('bench statistics and report', () => {
  it('median, percentile and ratio', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([...Array.from({ length: 100 }, (_, i) => i + 1)], 99)).toBe(99);
    const f = figure('x', 'x', 'req/s', [10, 30, 20], {
      comparison: { label: 'ceiling', value: 40 },
      goal: (_m, ratio) => ({ text: '≥ 0.5 ×', met: (ratio ?? 0) >= 0.5 }),
    });
    expect(f).toMatchObject({ median: 20, ratio: 0.5, goal: { met: true } });
  });

  it('a partial run replaces its own section and keeps the others and the hand-written part', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const path = join(dir, 'BENCHMARKS.md');
    const ctx: BenchContext = { logDir: dir, runs: 3, seconds: 5, log: () => undefined };
    const result = (id: string, value: number): BenchResult => ({
      id,
      title: `${id} title`,
      figures: [figure(`${id}.f`, `${id} figure`, 'ms', [value, value, value])],
      errors: [],
      notes: [],
      seconds: 1,
    });
    await writeReport(path, [result('B1', 11), result('B2', 22)], { seconds: 2, ctx });
    writeFileSync(path, readFileSync(path, 'utf8').replace('_None recorded yet._', 'We batched the writes.'));
    await writeReport(path, [result('B2', 33)], { seconds: 1, ctx });
    const doc = readFileSync(path, 'utf8');
    expect(doc).toContain('B1 figure | 11 ms');
    expect(doc).toContain('B2 figure | 33 ms');
    expect(doc).not.toContain('22 ms');
    expect(doc).toContain('We batched the writes.');
  });
});
