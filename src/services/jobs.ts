/**
 * Job monitoring: scheduled scripts report each run (`POST /api/monitor/job-report`, the seed's snippet), and
 * failures and missed runs become incidents.
 * - Every report is stored: the latest per job (overwritten, as the seed says) and a history row kept
 *   `historyTtlDays`. A client retry (same job_key, status and finished_at) is processed once.
 * - `error` opens, or folds into, the incident `job:<job_key>`; the next `success` resolves it with a recovery
 *   note. A success with nothing to end is quiet.
 * - A job may declare a schedule (`expect`); `tick` opens `job-missed:<job_key>` once when the job is late, and
 *   the job's next report resolves it. Jobs without a schedule are never late.
 * Work on one job is serialised in-process (report and tick); the schedule's conditional writes settle the
 * rare cross-process race. Reports of one job arriving together are processed as a group, with one read and
 * one batch of writes (job-report-groups.ts). Listeners (a Chatwork notifier) hook `subscribe`.
 */
import type { Clock } from '../domain/clock.js';
import { jobMissedKey, reportDedupKey, reportId, type JobReport } from '../domain/job.js';
import { describeSchedule, isLate, type JobSchedule } from '../domain/job-schedule.js';
import type { Logger } from '../logger.js';
import type { DeliveryClaims } from './ports/delivery-claims.js';
import type { JobReportStore, JobScheduleStore } from './ports/job-store.js';
import type { IncidentService } from './incidents.js';
import {
  jobOverview,
  type JobEvent,
  type JobOverview,
  type JobScheduleState,
  type StoredJobReport,
} from '../domain/job-records.js';
import { jobMissedSignal } from '../domain/job-signals.js';
import { createJobReportGroups, jobActor } from './job-report-groups.js';
import { createKeyedLock } from './keyed-lock.js';

export interface JobReportAnswer {
  id: string;
  jobKey: string;
  /** True when this exact report was processed before (a client retry). */
  duplicate: boolean;
}

export interface JobService {
  report(report: JobReport): Promise<JobReportAnswer>;
  expect(jobKey: string, schedule: JobSchedule, by?: string): Promise<JobScheduleState>;
  /** Removes a job's schedule (it is never late again); false when it had none. */
  forget(jobKey: string): Promise<boolean>;
  /** Opens a missed-run incident for every late scheduled job; returns their keys. */
  tick(now?: number): Promise<{ checked: number; missed: string[] }>;
  list(): Promise<JobOverview[]>;
  get(jobKey: string): Promise<JobOverview | undefined>;
  /** Newest first. */
  history(jobKey: string, limit?: number): Promise<StoredJobReport[]>;
  subscribe(listener: (event: JobEvent) => void): () => void;
}

export interface JobServiceDeps {
  reports: JobReportStore<StoredJobReport>;
  schedules: JobScheduleStore<JobScheduleState>;
  dedup: DeliveryClaims;
  incidents: IncidentService;
  /** The open incident with this fingerprint, if any (the incidents repository's lookup). */
  findOpenIncident(fingerprint: string): Promise<{ id: string } | undefined>;
  clock: Clock;
  logger: Logger;
  historyTtlDays: number;
}

/** How long a report's idempotency claim is kept: client retries come within minutes. */
export const REPORT_DEDUP_TTL_SECONDS = 86_400;
const MAX_WRITE_ATTEMPTS = 10;

export function createJobService(deps: JobServiceDeps): JobService {
  const { reports, schedules, dedup, incidents, clock, logger } = deps;
  const lock = createKeyedLock();
  const listeners = new Set<(event: JobEvent) => void>();
  const emit = (event: JobEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error({ err: error, event: event.type }, 'job listener failed');
      }
    }
  };
  const groups = createJobReportGroups({
    lock,
    reports,
    schedules,
    incidents,
    findOpenIncident: deps.findOpenIncident,
    emit,
    logger,
    historyTtlDays: deps.historyTtlDays,
  });

  async function checkLate(jobKey: string, now: number): Promise<boolean> {
    const state = await schedules.get(jobKey);
    if (state === undefined || state.missed !== undefined) return false; // once per lateness
    const latest = await reports.getLatest(jobKey);
    const since = Math.max(state.declaredAt, latest?.receivedAt ?? 0);
    if (!isLate(state.schedule, since, now)) return false;
    // Claim first (the conditional write decides who opens), then open.
    const claimed: JobScheduleState = { ...state, missed: { since, at: now }, version: state.version + 1 };
    if (!(await schedules.put(claimed, state.version))) return false; // changed meanwhile: next tick decides
    try {
      const outcome = await incidents.ingest(jobMissedSignal(jobKey, state.schedule, since, latest, now));
      if (outcome.action !== 'ignored') {
        emit({ type: 'missed', jobKey, schedule: state.schedule, since, incident: outcome.incident });
      }
      return true;
    } catch (error) {
      // Undo the claim so the next tick tries again.
      await schedules.put({ ...state, version: claimed.version + 1 }, claimed.version).catch(() => false);
      throw error;
    }
  }

  return {
    async report(report) {
      const id = reportId(report);
      const key = reportDedupKey(report);
      if (!(await dedup.claim(key, REPORT_DEDUP_TTL_SECONDS))) {
        logger.info({ jobKey: report.jobKey, id }, 'repeated job report ignored');
        return { id, jobKey: report.jobKey, duplicate: true };
      }
      try {
        await groups.process({ id, ...report, receivedAt: clock.now() });
      } catch (error) {
        // Let the client's retry be processed again.
        await dedup
          .release(key)
          .catch((e: unknown) => logger.warn({ err: e }, 'could not release job report claim'));
        throw error;
      }
      return { id, jobKey: report.jobKey, duplicate: false };
    },

    expect: (jobKey, schedule, by) =>
      lock.run(jobKey, async () => {
        for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
          const current = await schedules.get(jobKey);
          const next: JobScheduleState = {
            jobKey,
            schedule,
            declaredAt: clock.now(),
            ...(by !== undefined ? { declaredBy: by } : {}),
            // An open missed-run incident stays tracked, so the job's next report still resolves it.
            ...(current?.missed !== undefined ? { missed: current.missed } : {}),
            version: (current?.version ?? 0) + 1,
          };
          if (await schedules.put(next, current?.version)) {
            logger.info({ jobKey, schedule: describeSchedule(schedule) }, 'job schedule declared');
            return next;
          }
        }
        throw new Error(`job schedule ${jobKey} kept changing`);
      }),

    forget: (jobKey) =>
      lock.run(jobKey, async () => {
        const current = await schedules.get(jobKey);
        if (current === undefined) return false;
        await schedules.delete(jobKey);
        const open =
          current.missed === undefined ? undefined : await deps.findOpenIncident(jobMissedKey(jobKey));
        if (open !== undefined)
          await incidents.resolve(open.id, jobActor(jobKey), 'The job no longer has a schedule.');
        return true;
      }),

    async tick(now = clock.now()) {
      const all = await schedules.list();
      const missed: string[] = [];
      for (const { jobKey } of all) {
        try {
          if (await lock.run(jobKey, () => checkLate(jobKey, now))) missed.push(jobKey);
        } catch (error) {
          logger.error({ err: error, jobKey }, 'missed-run check failed');
        }
      }
      return { checked: all.length, missed };
    },

    async list() {
      const [latest, states] = await Promise.all([reports.listLatest(), schedules.list()]);
      const byKey = new Map(latest.map((r) => [r.jobKey, r]));
      const stateByKey = new Map(states.map((s) => [s.jobKey, s]));
      const keys = [...new Set([...byKey.keys(), ...stateByKey.keys()])].sort();
      const now = clock.now();
      return keys.map((key) => jobOverview(key, byKey.get(key), stateByKey.get(key), now));
    },

    async get(jobKey) {
      const [latest, state] = await Promise.all([reports.getLatest(jobKey), schedules.get(jobKey)]);
      if (latest === undefined && state === undefined) return undefined;
      return jobOverview(jobKey, latest, state, clock.now());
    },

    history: (jobKey, limit = 10) => reports.history(jobKey, limit),

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
