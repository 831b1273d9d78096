/**
 * Job store port: the last report and the history of each job, and its declared schedule (missed-run
 * detection). Implemented by the store's job reports table (store/job-reports-repository.ts and
 * store/job-schedules-repository.ts); the job service (services/jobs.ts) speaks only to these.
 */
export interface JobReportRecord {
  id: string;
  /** ISO 8601 (as the job sends `finished_at`) or epoch milliseconds. */
  finishedAt: string | number;
  [attribute: string]: unknown;
}

/** A stored report: the record plus the job key it was filed under. */
export type StoredJobReport<R extends JobReportRecord> = R & { jobKey: string };

export interface JobReportStore<R extends JobReportRecord = JobReportRecord> {
  putLatest(jobKey: string, report: R): Promise<void>;
  appendHistory(jobKey: string, report: R, ttlDays: number): Promise<void>;
  getLatest(jobKey: string): Promise<StoredJobReport<R> | undefined>;
  /** The latest report of every job (a Scan). */
  listLatest(): Promise<StoredJobReport<R>[]>;
  /** Up to `limit` unexpired history rows, newest first. */
  history(jobKey: string, limit: number): Promise<StoredJobReport<R>[]>;
}

export interface JobScheduleRecord {
  jobKey: string;
  /** Goes up by one on every write; the conditional put checks the value read. */
  version: number;
  [attribute: string]: unknown;
}

export interface JobScheduleStore<R extends JobScheduleRecord = JobScheduleRecord> {
  get(jobKey: string): Promise<R | undefined>;
  /** Every declared schedule (a Scan). */
  list(): Promise<R[]>;
  /**
   * Writes `record` (its `version` must be `expectedVersion + 1`, or 1 for a new item) if the stored version
   * is still `expectedVersion` (`undefined`: no item yet). False when someone else wrote first.
   */
  put(record: R, expectedVersion: number | undefined): Promise<boolean>;
  delete(jobKey: string): Promise<void>;
}
