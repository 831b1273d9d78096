/**
 * Chatwork notices for incidents: when one opens with severity error or critical (job failures too — their
 * source is `job:<key>`), an error notice goes to the room. The send is deferred (job `notice.incident-opened`)
 * so it neither delays the ingest that opened the incident nor dies with a Lambda that already answered.
 */
import * as z from '../domain/zod.js';
import type { Clock } from '../domain/clock.js';
import { incidentOpenedNotice, shouldNotifyOpened } from '../domain/notices.js';
import type { IncidentService } from './incidents.js';
import type { Defer, DeferredHandlers } from './ports/defer.js';
import type { Notifier } from './ports/notifier.js';

export const OPENED_NOTICE_JOB = 'notice.incident-opened';

const jobSchema = z.object({ incidentId: z.string(), occurredAt: z.number() });

export interface IncidentNotices {
  handlers: DeferredHandlers;
  /** Stops listening to the incident service. */
  stop(): void;
}

export function createIncidentNotices(deps: {
  incidents: IncidentService;
  notifier: Notifier;
  defer: Defer;
  clock: Clock;
}): IncidentNotices {
  const stop = deps.incidents.subscribe((event) => {
    if (event.type !== 'opened' || !shouldNotifyOpened(event.incident)) return;
    deps.defer({
      name: OPENED_NOTICE_JOB,
      payload: { incidentId: event.incident.id, occurredAt: deps.clock.now() },
    });
  });

  async function send(payload: Record<string, unknown>): Promise<void> {
    const job = jobSchema.parse(payload);
    const incident = await deps.incidents.get(job.incidentId);
    if (!incident) return;
    await deps.notifier.error(incidentOpenedNotice(incident, new Date(job.occurredAt)));
  }

  return { handlers: { [OPENED_NOTICE_JOB]: send }, stop };
}
