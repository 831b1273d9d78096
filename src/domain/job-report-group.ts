/**
 * Reports of one job that arrive together are processed as a group (services/job-report-groups.ts): one read of
 * the job's state, one batch of writes, and the incident effects once per change rather than once per report.
 * This plans a group so that its end state is exactly what processing its reports one by one, in arrival order,
 * would leave. Pure.
 *
 * One by one, a report older than the latest so far (finished strictly before it) goes to history only; every
 * other report becomes the latest and acts on the job's incidents. So the reports that act are those that are
 * at least as new as everything before them: a non-decreasing run of finish times, i.e. finishedAt order.
 */
import type { JobStatus } from './job.js';

export interface GroupedReport {
  status: JobStatus;
  /** ISO 8601 (normalised, as stored). */
  finishedAt: string;
}

/**
 * What the job's failure incident goes through, in order: a run of failures opens it or folds into it, one by one;
 * a run of successes resolves it once, with the run's first success (the others find nothing open).
 */
export type IncidentStep<R> = { kind: 'failures'; reports: R[] } | { kind: 'recovery'; report: R };

export interface GroupPlan<R> {
  /** Reports that act, in arrival order (which is finishedAt order). */
  current: R[];
  /** Reports older than the latest before them: history only. */
  older: R[];
  /** The report to store as the job's latest: the last of `current`; undefined when every report is older. */
  latest: R | undefined;
  steps: IncidentStep<R>[];
}

const ms = (iso: string): number => Date.parse(iso);

/** `previousFinishedAt`: the stored latest report's finishedAt, if the job has one. */
export function planReportGroup<R extends GroupedReport>(
  previousFinishedAt: string | undefined,
  reports: readonly R[],
): GroupPlan<R> {
  const current: R[] = [];
  const older: R[] = [];
  let newest = previousFinishedAt === undefined ? -Infinity : ms(previousFinishedAt);
  for (const report of reports) {
    const at = ms(report.finishedAt);
    if (at < newest) {
      older.push(report);
    } else {
      current.push(report);
      newest = at;
    }
  }
  return { current, older, latest: current.at(-1), steps: incidentSteps(current) };
}

function incidentSteps<R extends GroupedReport>(current: readonly R[]): IncidentStep<R>[] {
  const steps: IncidentStep<R>[] = [];
  for (const report of current) {
    const last = steps.at(-1);
    if (report.status === 'error') {
      if (last?.kind === 'failures') last.reports.push(report);
      else steps.push({ kind: 'failures', reports: [report] });
    } else if (last?.kind !== 'recovery') {
      steps.push({ kind: 'recovery', report });
    }
  }
  return steps;
}
