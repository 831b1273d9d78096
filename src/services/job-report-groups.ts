/**
 * Group commit for job reports. Work on one job is serialised (the job service's keyed lock), so reports of one
 * job arriving together used to queue up one by one, each making its own dependent store round trips, and the
 * embedded store's batchers (store/get-batcher.ts, write-batcher.ts) never saw two of them at once. Instead,
 * the reports of a job that arrive while its lock is held join one group, processed in one turn:
 * - one read of the job's state, side by side: the latest report, the schedule and, when the group has a success,
 *   the open failure incident;
 * - one batch of writes: every report's history row and the newest report as the latest;
 * - the effects of the reports that act (src/domain/job-report-group.ts), in finishedAt order: a missed run ends
 *   once, failures open or fold into the failure incident one by one, and a run of successes resolves it once.
 * The end state is the one processing the reports one by one in arrival order leaves. Every report of a group is
 * durable, and its effects applied, before any is answered; when anything fails, the whole group fails (the job
 * service then releases every report's claim, so the clients' retries are processed).
 */
import { isOpen } from '../domain/incident.js';
import { jobFailureKey, jobMissedKey } from '../domain/job.js';
import { planReportGroup, type IncidentStep } from '../domain/job-report-group.js';
import type { JobEvent, JobScheduleState, StoredJobReport } from '../domain/job-records.js';
import { jobFailedSignal } from '../domain/job-signals.js';
import type { Logger } from '../logger.js';
import type { IncidentService } from './incidents.js';
import type { KeyedLock } from './keyed-lock.js';
import type { JobReportStore, JobScheduleStore } from './ports/job-store.js';

export interface JobReportGroups {
  /** Resolves once the report is stored and its effects applied (with the other reports of its group). */
  process(record: StoredJobReport): Promise<void>;
}

export interface JobReportGroupDeps {
  lock: KeyedLock;
  reports: JobReportStore<StoredJobReport>;
  schedules: JobScheduleStore<JobScheduleState>;
  incidents: IncidentService;
  findOpenIncident(fingerprint: string): Promise<{ id: string } | undefined>;
  emit(event: JobEvent): void;
  logger: Logger;
  historyTtlDays: number;
}

/** Reports in one group at most: a backlog after a network blip is written in a few rounds, not one huge one. */
export const MAX_GROUP_SIZE = 100;
const MAX_WRITE_ATTEMPTS = 10;

export const jobActor = (jobKey: string): string => `system:job:${jobKey}`;

export function createJobReportGroups(deps: JobReportGroupDeps): JobReportGroups {
  const { lock, reports, schedules, incidents, logger } = deps;
  /** Per job, the group waiting for the lock, which reports arriving now join. */
  const waiting = new Map<string, { records: StoredJobReport[]; done: Promise<void> }>();

  /** The job reported: a missed-run incident it had is over. `known`: the schedule as read with the group. */
  async function endMissed(record: StoredJobReport, known: JobScheduleState | undefined): Promise<void> {
    if (known?.missed === undefined) return;
    let current: JobScheduleState | undefined = known;
    // A conditional put on the version read; a lost race (another process) reads again.
    for (let attempt = 0; current?.missed !== undefined; attempt += 1) {
      if (attempt === MAX_WRITE_ATTEMPTS) throw new Error(`job schedule ${record.jobKey} kept changing`);
      const { missed: _missed, ...rest } = current;
      if (await schedules.put({ ...rest, version: current.version + 1 } as JobScheduleState, current.version))
        break;
      current = await schedules.get(record.jobKey);
    }
    const open = await deps.findOpenIncident(jobMissedKey(record.jobKey));
    if (open === undefined) return;
    await incidents.resolve(
      open.id,
      jobActor(record.jobKey),
      `The job reported again (${record.status}, finished ${record.finishedAtRaw}).`,
    );
  }

  /** Failures and recoveries in order; `openId` is the failure incident open before the group, if known. */
  async function applySteps(steps: IncidentStep<StoredJobReport>[], openId: string | undefined) {
    let open = openId;
    for (const step of steps) {
      if (step.kind === 'failures') {
        // One by one: after the first, a repeat folds in memory (the incident service's fold buffer).
        for (const record of step.reports) {
          const outcome = await incidents.ingest(jobFailedSignal(record));
          if (outcome.action === 'ignored') continue;
          open = isOpen(outcome.incident) ? outcome.incident.id : undefined;
          if (outcome.action === 'opened' || outcome.action === 'folded') {
            deps.emit({ type: 'failed', report: record, incident: outcome.incident, action: outcome.action });
          }
        }
      } else if (open !== undefined) {
        const { report } = step;
        const detail = report.message !== null && report.message !== '' ? ` ${report.message}` : '';
        const outcome = await incidents.resolve(
          open,
          jobActor(report.jobKey),
          `Recovered: the job succeeded (finished ${report.finishedAtRaw}).${detail}`,
        );
        open = undefined;
        if (outcome.ok) deps.emit({ type: 'recovered', report, incident: outcome.incident });
      }
    }
  }

  async function processGroup(jobKey: string, records: StoredJobReport[]): Promise<void> {
    // A success is quiet unless it ends a failure: only then is the failure incident looked up.
    const recovers = records.some((r) => r.status === 'success');
    const [previous, schedule, open] = await Promise.all([
      reports.getLatest(jobKey),
      schedules.get(jobKey),
      recovers ? deps.findOpenIncident(jobFailureKey(jobKey)) : undefined,
    ]);
    const plan = planReportGroup(previous?.finishedAt, records);
    // Sent together, the rows go out as one batch write on the embedded store (write-batcher.ts).
    await Promise.all([
      ...records.map((record) => reports.appendHistory(jobKey, record, deps.historyTtlDays)),
      ...(plan.latest === undefined ? [] : [reports.putLatest(jobKey, plan.latest)]),
    ]);
    // A late-arriving older run goes to history only: it must not overwrite, reopen or resolve anything.
    for (const record of plan.older) {
      logger.info({ jobKey, finishedAt: record.finishedAt }, 'older job report kept in history only');
    }
    const [first] = plan.current;
    if (first === undefined) return;
    // Ending a missed-run incident and failing or recovering are about two different incidents: they go out
    // side by side. Both finish before the reports are answered (or their claims released).
    const outcomes = await Promise.allSettled([endMissed(first, schedule), applySteps(plan.steps, open?.id)]);
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
  }

  return {
    process(record) {
      const { jobKey } = record;
      const group = waiting.get(jobKey);
      if (group !== undefined && group.records.length < MAX_GROUP_SIZE) {
        group.records.push(record);
        return group.done;
      }
      const records = [record];
      const done = lock.run(jobKey, () => {
        // From here on, reports of this job start the next group.
        if (waiting.get(jobKey)?.records === records) waiting.delete(jobKey);
        return processGroup(jobKey, records);
      });
      waiting.set(jobKey, { records, done });
      return done;
    },
  };
}
