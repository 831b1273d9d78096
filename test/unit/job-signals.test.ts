import { describe, expect, it } from 'vitest';
import type { StoredJobReport } from '../../src/domain/job-records.js';
import { jobFailedSignal, jobMissedSignal } from '../../src/domain/job-signals.js';

const report: StoredJobReport = {
  id: 'r1',
  jobKey: 'nightly-etl',
  title: 'Nightly ETL',
  status: 'error',
  finishedAt: '2026-12-07T02:00:00.000Z',
  finishedAtRaw: '2026-12-07T02:00:00Z',
  message: 'Connection refused',
  receivedAt: Date.parse('2026-12-07T02:00:01Z'),
};

describe('job signals', () => {
  it('a failed run is an alert on job:<key>, without a severity, at the time the run finished', () => {
    const signal = jobFailedSignal(report);
    expect(signal).toMatchObject({
      action: 'trigger',
      source: 'job:nightly-etl',
      message: 'Connection refused',
      occurredAt: '2026-12-07T02:00:00.000Z',
      details: { job_key: 'nightly-etl', finished_at: '2026-12-07T02:00:00Z' },
    });
    expect(signal.title).toContain('Nightly ETL');
    expect(signal).not.toHaveProperty('severity');
    expect(jobFailedSignal({ ...report, message: '' })).not.toHaveProperty('message');
  });

  it('a missed run says since when, what was expected, and when the run was due', () => {
    const since = Date.parse('2026-12-07T00:00:00Z');
    const schedule = { kind: 'period', periodSeconds: 3600, graceSeconds: 300 } as const;
    const signal = jobMissedSignal('nightly-etl', schedule, since, report, since + 2 * 3600_000);
    expect(signal.title).toBe(`Job missed: ${jobFailedSignal(report).title.replace('Job failed: ', '')}`);
    expect(signal.message).toContain('No report since 2026-12-07 00:00');
    expect(signal.message).toContain('has not reported.');
    expect(signal.details).toMatchObject({ job_key: 'nightly-etl', last_report: '2026-12-07T02:00:00Z' });
    expect(signal.occurredAt).toBe('2026-12-07T01:05:00.000Z');
    const declaredOnly = jobMissedSignal('nightly-etl', schedule, since, undefined, since + 2 * 3600_000);
    expect(declaredOnly.title).toBe('Job missed: nightly-etl');
    expect(declaredOnly.message).toContain('no report yet');
  });
});
