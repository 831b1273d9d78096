/**
 * The job-monitoring capability: the job service over the job reports table, metered, and the scheduler whose
 * first task is its missed-run check (other capabilities add their own tasks to it).
 */
import type { Config } from './config/index.js';
import type { Clock } from './domain/clock.js';
import type { JobScheduleState, StoredJobReport } from './domain/job-records.js';
import type { MetricsRegistry } from './integrations/prometheus-metrics.js';
import type { Logger } from './logger.js';
import type { IncidentService } from './services/incidents.js';
import { createJobService } from './services/jobs.js';
import { meterJobs } from './services/metered.js';
import { createScheduler } from './services/scheduler.js';
import type { JobReportsRepository, JobSchedulesRepository, Store } from './store/index.js';

export function buildJobs(
  config: Config,
  deps: { store: Store; incidents: IncidentService; clock: Clock; logger: Logger; metrics: MetricsRegistry },
) {
  const { store, clock, logger } = deps;
  const jobs = meterJobs(
    createJobService({
      reports: store.jobReports as JobReportsRepository<StoredJobReport>,
      schedules: store.jobSchedules as JobSchedulesRepository<JobScheduleState>,
      dedup: store.dedup,
      incidents: deps.incidents,
      findOpenIncident: (fingerprint) => store.incidents.findOpenByFingerprint(fingerprint),
      clock,
      logger: logger.child({ component: 'jobs' }),
      historyTtlDays: config.historyTtlDays,
    }),
    deps.metrics,
  );
  const scheduler = createScheduler({
    intervalMs: config.jobTickSeconds * 1000,
    tasks: [{ name: 'jobs.missed-runs', run: (now) => jobs.tick(now) }],
    clock,
    logger: logger.child({ component: 'scheduler' }),
  });
  return { jobs, scheduler };
}
