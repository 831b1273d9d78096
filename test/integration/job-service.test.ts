/**
 * The job service's edges, through the real app (store on dynalite, incident service, Slack emulator): late
 * deliveries, the events a Chatwork notifier hooks, schedules and their conditional writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJobReport } from '../../src/domain/job.js';
import type { JobEvent, JobScheduleState } from '../../src/domain/job-records.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';

describe('JobService', () => {
  let h: TestHikeshi;
  const events: JobEvent[] = [];

  const report = (body: Record<string, unknown>) => {
    const parsed = parseJobReport({ title: 'Job', message: null, ...body });
    if (!parsed.ok) throw new Error(parsed.reason);
    return h.app.services.jobs.report(parsed.report);
  };
  const openIncident = (fingerprint: string) => h.app.store.incidents.findOpenByFingerprint(fingerprint);

  beforeAll(async () => {
    h = await startHikeshi();
    h.app.services.jobs.subscribe((event) => events.push(event));
  });
  afterAll(async () => {
    await h.close();
  });

  it('tells subscribers about failures (opened, then folded) and recoveries', async () => {
    await report({ job_key: 'ev', status: 'error', finished_at: '2026-01-01T00:00:00Z', message: 'boom' });
    await report({ job_key: 'ev', status: 'error', finished_at: '2026-01-01T01:00:00Z', message: 'boom' });
    await report({ job_key: 'ev', status: 'success', finished_at: '2026-01-01T02:00:00Z' });
    expect(events.map((e) => `${e.type}${e.type === 'failed' ? `:${e.action}` : ''}`)).toEqual([
      'failed:opened',
      'failed:folded',
      'recovered',
    ]);
    const failed = events[0];
    expect(failed?.type === 'failed' && failed.report).toMatchObject({ jobKey: 'ev', message: 'boom' });
  });

  it('keeps a late-arriving older run in the history only', async () => {
    await report({ job_key: 'late-delivery', status: 'success', finished_at: '2026-01-02T00:00:00Z' });
    await report({ job_key: 'late-delivery', status: 'error', finished_at: '2026-01-01T00:00:00Z' });
    expect(await h.app.store.jobReports.getLatest('late-delivery')).toMatchObject({
      status: 'success',
    });
    expect(await h.app.services.jobs.history('late-delivery')).toHaveLength(2);
    expect(await openIncident('job:late-delivery')).toBeUndefined();
  });

  it('an error ends a missed run and opens the failure instead', async () => {
    await h.app.services.jobs.expect('flaky', { kind: 'period', periodSeconds: 600, graceSeconds: 60 });
    h.clock.advance(11 * 60_000 + 1);
    expect((await h.app.services.jobs.tick()).missed).toEqual(['flaky']);
    expect(events.at(-1)).toMatchObject({ type: 'missed', jobKey: 'flaky' });
    expect(await openIncident('job-missed:flaky')).toBeDefined();
    await report({
      job_key: 'flaky',
      status: 'error',
      finished_at: '2026-01-03T00:00:00Z',
      message: 'disk full',
    });
    expect(await openIncident('job-missed:flaky')).toBeUndefined();
    expect(await openIncident('job:flaky')).toMatchObject({ message: 'disk full' });
    expect(await h.app.services.jobs.get('flaky')).toMatchObject({ late: false });
  });

  it('forgetting a schedule ends its missed run; a job is never late without one', async () => {
    await h.app.services.jobs.expect('retired', {
      kind: 'cron',
      cron: '@hourly',
      tz: 'UTC',
      graceSeconds: 0,
    });
    h.clock.advance(2 * 3_600_000);
    await h.app.services.jobs.tick();
    expect(await h.app.services.jobs.get('retired')).toMatchObject({ late: true });
    expect(await h.app.services.jobs.forget('retired')).toBe(true);
    expect(await openIncident('job-missed:retired')).toBeUndefined();
    expect(await h.app.services.jobs.get('retired')).toBeUndefined();
    expect(await h.app.services.jobs.forget('retired')).toBe(false);
  });

  it('stores schedules with conditional writes on their version', async () => {
    const repo = h.app.store.jobSchedules;
    const state = {
      jobKey: 'versioned',
      schedule: { kind: 'period', periodSeconds: 60, graceSeconds: 0 },
      declaredAt: 0,
      version: 1,
    } satisfies JobScheduleState;
    expect(await repo.put(state, undefined)).toBe(true);
    expect(await repo.put(state, undefined)).toBe(false); // it exists now
    expect(await repo.put({ ...state, version: 2 }, 1)).toBe(true);
    expect(await repo.put({ ...state, version: 2 }, 1)).toBe(false); // someone else wrote version 2
    expect(await repo.get('versioned')).toMatchObject({ version: 2 });
    expect((await repo.list()).map((s) => s.jobKey)).toContain('versioned');
    // Schedules share the job reports table but never show up as reports.
    expect((await h.app.store.jobReports.listLatest()).map((r) => r.jobKey)).not.toContain('versioned');
    await repo.delete('versioned');
    expect(await repo.get('versioned')).toBeUndefined();
  });
});
