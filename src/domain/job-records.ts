/**
 * The records job monitoring stores and the views and events it hands out; shared by the job service, the
 * Slack builders and the routes.
 */
import type { Incident } from './incident.js';
import { jobLabel, type JobReport } from './job.js';
import { isLate, nextExpectedAt, type JobSchedule } from './job-schedule.js';

/** A report as stored (latest and history rows). */
export interface StoredJobReport {
  id: string;
  jobKey: string;
  title: string;
  status: JobReport['status'];
  finishedAt: string;
  finishedAtRaw: string;
  message: string | null;
  /** When Hikeshi received it (epoch ms, our clock): what lateness is judged by. */
  receivedAt: number;
  [attribute: string]: unknown;
}

export interface JobScheduleState {
  jobKey: string;
  schedule: JobSchedule;
  /** When the schedule was (last) declared: the lateness baseline before the first report. */
  declaredAt: number;
  declaredBy?: string;
  /** Set while a missed-run incident is open for the job. */
  missed?: { since: number; at: number };
  version: number;
  [attribute: string]: unknown;
}

/** One job as `/jobs` and App Home show it. */
export interface JobOverview {
  jobKey: string;
  title: string;
  latest?: StoredJobReport;
  schedule?: JobSchedule;
  /** Next expected run (epoch ms), for scheduled jobs. */
  nextExpectedAt?: number;
  late: boolean;
}

export type JobEvent =
  | { type: 'failed'; report: StoredJobReport; incident: Incident; action: 'opened' | 'folded' }
  | { type: 'recovered'; report: StoredJobReport; incident: Incident }
  | { type: 'missed'; jobKey: string; schedule: JobSchedule; since: number; incident: Incident };

/** `2026-01-01 09:00 UTC`: plain text that reads the same in Slack, Chatwork and logs. */
export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One job for display: its latest report, its schedule, when it is next due and whether it is late. */
export function jobOverview(
  jobKey: string,
  latest: StoredJobReport | undefined,
  state: JobScheduleState | undefined,
  now: number,
): JobOverview {
  const since = Math.max(state?.declaredAt ?? 0, latest?.receivedAt ?? 0);
  const next = state === undefined ? undefined : nextExpectedAt(state.schedule, since);
  return {
    jobKey,
    title: latest !== undefined ? jobLabel(latest) : jobKey,
    ...(latest !== undefined ? { latest } : {}),
    ...(state !== undefined ? { schedule: state.schedule } : {}),
    ...(next !== undefined ? { nextExpectedAt: next } : {}),
    late: state !== undefined && (state.missed !== undefined || isLate(state.schedule, since, now)),
  };
}
