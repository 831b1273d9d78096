/**
 * Operational figures (issue 11, `GET /metrics`) taken at the ports, by decorators the composition root puts
 * around a service or adapter. The services themselves stay free of counting code, and every figure comes from
 * the same place the work goes through: an alert through `IncidentService.ingest`, a call through the
 * PhoneCaller and the CallHistory, a task through the TaskQueue.
 *
 * Label values are bounded sets (outcomes, events, a sender's kind), never ids or free text.
 */
import type { AlertSignal } from '../domain/alert.js';
import type { CallRecord } from '../domain/call-record.js';
import type { CallHistoryRepository } from './ports/call-stores.js';
import type { IncidentService, IngestOutcome } from './incidents.js';
import type { JobService } from './jobs.js';
import type { Metrics } from './ports/metrics.js';
import type { PhoneCaller } from './ports/phone-caller.js';
import type { TaskQueue } from './ports/task-queue.js';

/** The kinds of sender `AlertSignal.source` starts with; anything else (a sender's own name) is `other`. */
const SOURCE_KINDS = ['alertmanager', 'sns', 'cloudwatch', 'job', 'slack'] as const;

export function sourceKind(signal: Pick<AlertSignal, 'source'>): string {
  const prefix = (signal.source ?? '').split(':')[0] ?? '';
  return (SOURCE_KINDS as readonly string[]).includes(prefix) ? prefix : 'other';
}

const INGEST_ACTIONS: readonly IngestOutcome['action'][] = [
  'opened',
  'folded',
  'reopened',
  'renotified',
  'acknowledged',
  'resolved',
  'ignored',
];

/** Counts every signal ingested and what became of it; gauges open incidents by status at scrape time. */
export function meterIncidents(incidents: IncidentService, metrics: Metrics): IncidentService {
  const received = metrics.counter(
    'hikeshi_alerts_received_total',
    'Alert signals received, by sender kind.',
  );
  const outcomes = metrics.counter(
    'hikeshi_alerts_total',
    'Alert signals by outcome: opened an incident, folded into an open one, reopened a resolved one, renotified (a firing already counted), acknowledged, resolved, or ignored.',
  );
  const failed = metrics.counter('hikeshi_alerts_failed_total', 'Alert signals that could not be ingested.');
  for (const action of INGEST_ACTIONS) outcomes.inc({ action }, 0);
  failed.inc(undefined, 0);
  metrics.collect('hikeshi_incidents', 'Incidents not yet resolved, by status.', async () => {
    const open = await incidents.listOpen();
    const count = (status: string) => open.filter((i) => i.status === status).length;
    return ['triggered', 'acknowledged'].map((status) => ({ labels: { status }, value: count(status) }));
  });
  return {
    ...incidents,
    async ingest(signal) {
      received.inc({ source: sourceKind(signal) });
      try {
        const outcome = await incidents.ingest(signal);
        outcomes.inc({ action: outcome.action });
        return outcome;
      } catch (error) {
        failed.inc();
        throw error;
      }
    },
  };
}

/** Counts job reports by their status (and the client retries recognised as duplicates). */
export function meterJobs(jobs: JobService, metrics: Metrics): JobService {
  const reports = metrics.counter(
    'hikeshi_job_reports_total',
    'Job reports received, by reported status; duplicate="true" for a client retry of a report already processed.',
  );
  return {
    ...jobs,
    async report(report) {
      const answer = await jobs.report(report);
      reports.inc({ status: report.status, duplicate: String(answer.duplicate) });
      return answer;
    },
  };
}

/** Calls placed (StartOutboundVoiceContact answered or refused) and every outcome the history records. */
export function meterCaller(caller: PhoneCaller, metrics: Metrics): PhoneCaller {
  const requests = metrics.counter(
    'hikeshi_call_requests_total',
    'Outbound call requests to the phone provider, by result (ok or failed).',
  );
  requests.inc({ result: 'ok' }, 0);
  requests.inc({ result: 'failed' }, 0);
  return {
    kind: caller.kind,
    async startCall(request) {
      try {
        const started = await caller.startCall(request);
        requests.inc({ result: 'ok' });
        return started;
      } catch (error) {
        requests.inc({ result: 'failed' });
        throw error;
      }
    },
  };
}

const CALL_EVENTS: readonly CallRecord['event'][] = [
  'started',
  'failed',
  'accepted',
  'declined',
  'no_answer',
  'timeout',
];

export function meterCallHistory(
  history: CallHistoryRepository<CallRecord>,
  metrics: Metrics,
): CallHistoryRepository<CallRecord> {
  const calls = metrics.counter(
    'hikeshi_calls_total',
    'Phone escalation events: started (a call placed), failed, accepted, declined, no_answer, timeout, stopped, exhausted.',
  );
  for (const event of CALL_EVENTS) calls.inc({ event }, 0);
  return {
    list: (errorId) => history.list(errorId),
    async append(errorId, entry, ttlDays) {
      await history.append(errorId, entry, ttlDays);
      calls.inc({ event: entry.event });
    },
  };
}

/** Task queue traffic: publishes (a failure is a webhook answered 503) and handler runs. */
export function meterTaskQueue<Q extends TaskQueue>(queue: Q, metrics: Metrics): Q {
  const published = metrics.counter(
    'hikeshi_queue_published_total',
    'Tasks published to the queue, by result; failed publishes were answered 503 to the sender.',
  );
  const consumed = metrics.counter(
    'hikeshi_queue_consumed_total',
    'Task deliveries handled by this process, by result (a failure is retried, then dead-lettered).',
  );
  for (const result of ['ok', 'failed']) {
    published.inc({ result }, 0);
    consumed.inc({ result }, 0);
  }
  return Object.assign(Object.create(queue) as Q, {
    async publish(task: Parameters<TaskQueue['publish']>[0]) {
      try {
        await queue.publish(task);
        published.inc({ result: 'ok' });
      } catch (error) {
        published.inc({ result: 'failed' });
        throw error;
      }
    },
    consume: (handler: Parameters<TaskQueue['consume']>[0]) =>
      queue.consume(async (task) => {
        try {
          await handler(task);
          consumed.inc({ result: 'ok' });
        } catch (error) {
          consumed.inc({ result: 'failed' });
          throw error;
        }
      }),
  });
}
