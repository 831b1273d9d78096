import { describe, expect, it } from 'vitest';
import { planReportGroup, type GroupedReport } from '../../src/domain/job-report-group.js';

const at = (hour: number) => `2026-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
const ok = (hour: number, name = `ok${hour}`) => ({ name, status: 'success' as const, finishedAt: at(hour) });
const err = (hour: number, name = `err${hour}`) => ({ name, status: 'error' as const, finishedAt: at(hour) });
type Named = GroupedReport & { name: string };
const names = (reports: Named[]) => reports.map((r) => r.name);

/** The reference: one report at a time, as the job service processed them before groups. */
function oneByOne(previous: string | undefined, reports: Named[]) {
  let latest = previous;
  const acting: Named[] = [];
  for (const report of reports) {
    if (latest !== undefined && Date.parse(latest) > Date.parse(report.finishedAt)) continue;
    acting.push(report);
    latest = report.finishedAt;
  }
  return acting;
}

describe('planReportGroup', () => {
  it('acts on every report of an ordered group; the last one becomes the latest', () => {
    const plan = planReportGroup(at(0), [err(1), err(2), ok(3), ok(4), err(5)]);
    expect(names(plan.current)).toEqual(['err1', 'err2', 'ok3', 'ok4', 'err5']);
    expect(plan.older).toEqual([]);
    expect(plan.latest?.name).toBe('err5');
    // A run of successes resolves once, with its first success.
    expect(plan.steps.map((s) => (s.kind === 'failures' ? names(s.reports) : s.report.name))).toEqual([
      ['err1', 'err2'],
      'ok3',
      ['err5'],
    ]);
  });

  it('keeps reports older than the latest before them to history only', () => {
    const plan = planReportGroup(at(3), [err(2), ok(5), err(4), ok(5, 'again'), err(6)]);
    expect(names(plan.older)).toEqual(['err2', 'err4']);
    expect(names(plan.current)).toEqual(['ok5', 'again', 'err6']);
    expect(plan.latest?.name).toBe('err6');
  });

  it('a group of older reports only changes nothing but history', () => {
    const plan = planReportGroup(at(9), [err(1), ok(2)]);
    expect(plan).toMatchObject({ current: [], latest: undefined, steps: [] });
    expect(plan.older).toHaveLength(2);
  });

  it('a first report for a job acts, whatever its time', () => {
    expect(planReportGroup(undefined, [ok(1)]).latest?.name).toBe('ok1');
  });

  it('acts on exactly the reports processing them one by one would, for any arrival order', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 10;
    for (let round = 0; round < 200; round += 1) {
      const group = Array.from({ length: 1 + Math.floor(random()) }, (_, i) => {
        const hour = Math.floor(random() * 2);
        return random() < 5 ? ok(hour, `r${i}`) : err(hour, `r${i}`);
      });
      const previous = random() < 3 ? undefined : at(Math.floor(random()));
      const plan = planReportGroup(previous, group);
      expect(names(plan.current)).toEqual(names(oneByOne(previous, group)));
      expect(plan.current.length + plan.older.length).toBe(group.length);
      expect(plan.latest).toBe(plan.current.at(-1));
    }
  });
});
