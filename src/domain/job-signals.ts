/**
 * The alerts job monitoring raises: a failed run (`job:<job_key>`) and a missed run (`job-missed:<job_key>`),
 * built from what the job reported and its declared schedule. Pure; the job service (services/jobs.ts) sends
 * them to the incident service.
 */
import type { AlertSignal } from './alert.js';
import { jobFailureKey, jobLabel, jobMissedKey } from './job.js';
import { describeSchedule, lateAfter, nextExpectedAt, type JobSchedule } from './job-schedule.js';
import { utcText, type StoredJobReport } from './job-records.js';

/** A run reported `error`. */
export function jobFailedSignal(record: StoredJobReport): AlertSignal {
  return {
    action: 'trigger',
    title: `Job failed: ${jobLabel(record)}`,
    ...(record.message !== null && record.message !== '' ? { message: record.message } : {}),
    // No severity: a job report has none. The incident opens as the default (error), and a repeat keeps
    // what it has, so one lowered by hand is not raised again by the next failure.
    source: `job:${record.jobKey}`,
    dedupKey: jobFailureKey(record.jobKey),
    details: { job_key: record.jobKey, title: record.title, finished_at: record.finishedAtRaw },
    links: [],
    occurredAt: record.finishedAt,
  };
}

/** The job has not reported since `since` (its last report, or when the schedule was declared). */
export function jobMissedSignal(
  jobKey: string,
  schedule: JobSchedule,
  since: number,
  latest: StoredJobReport | undefined,
  now: number,
): AlertSignal {
  const expected = nextExpectedAt(schedule, since);
  const label = latest !== undefined ? jobLabel(latest) : jobKey;
  return {
    action: 'trigger',
    title: `Job missed: ${label}`,
    message:
      `No report since ${utcText(since)}${latest === undefined ? ' (the schedule was declared then; no report yet)' : ''}, ` +
      `expected ${describeSchedule(schedule)}` +
      (expected !== undefined ? `; the run due ${utcText(expected)} has not reported.` : '.'),
    source: `job:${jobKey}`,
    dedupKey: jobMissedKey(jobKey),
    details: {
      job_key: jobKey,
      last_report: latest === undefined ? 'none' : latest.finishedAtRaw,
      schedule: describeSchedule(schedule),
    },
    links: [],
    occurredAt: new Date(lateAfter(schedule, since) ?? now).toISOString(),
  };
}
