/**
 * Chatwork notices for incidents, each sent once:
 * - an incident opens with severity error or critical (job failures too — their source is `job:<key>`);
 * - an open incident's severity rises to error or critical from below (a warning that turns critical).
 * The send is deferred (jobs `notice.incident-opened`, `notice.incident-raised`) so it neither delays the ingest
 * nor dies with a Lambda that already answered.
 *
 * Once: the event itself happens once (opening is decided by the fingerprint claim, a raise by the conditional
 * write that stored it), and the handler claims `notice:<what>:<incident>` in the dedup table before sending, so a
 * deferred job delivered twice (Lambda's asynchronous invoke retries) still sends one notice. The claim is taken
 * after the incident is read and just before the send: a crash between the two loses that notice rather than
 * repeating it, which is the right way round for a page-everyone `[toall]`.
 */
import * as z from '../domain/zod.js';
import { SEVERITIES } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import {
  incidentOpenedNotice,
  incidentRaisedNotice,
  shouldNotifyOpened,
  shouldNotifyRaised,
} from '../domain/notices.js';
import type { IncidentService } from './incidents.js';
import type { Defer, DeferredHandlers } from './ports/defer.js';
import type { Notifier } from './ports/notifier.js';

export const OPENED_NOTICE_JOB = 'notice.incident-opened';
export const RAISED_NOTICE_JOB = 'notice.incident-raised';
/** How long a sent notice's claim is kept: far longer than any redelivery of its deferred job. */
export const NOTICE_CLAIM_TTL_SECONDS = 7 * 86_400;

const openedJob = z.object({ incidentId: z.string(), occurredAt: z.number() });
const raisedJob = z.object({ incidentId: z.string(), occurredAt: z.number(), from: z.enum(SEVERITIES) });

/** The dedup table's conditional claim (store/dedup-repository.ts). */
export interface NoticeClaims {
  /** True the first time `key` is claimed. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}

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
  claims: NoticeClaims;
}): IncidentNotices {
  const stop = deps.incidents.subscribe((event) => {
    const occurredAt = deps.clock.now();
    if (event.type === 'opened' && shouldNotifyOpened(event.incident)) {
      deps.defer({ name: OPENED_NOTICE_JOB, payload: { incidentId: event.incident.id, occurredAt } });
    } else if (
      event.type === 'folded' &&
      event.raisedFrom !== undefined &&
      shouldNotifyRaised(event.raisedFrom, event.incident)
    ) {
      deps.defer({
        name: RAISED_NOTICE_JOB,
        payload: { incidentId: event.incident.id, occurredAt, from: event.raisedFrom },
      });
    }
  });

  const claimed = (what: string, incidentId: string) =>
    deps.claims.claim(`notice:${what}:${incidentId}`, NOTICE_CLAIM_TTL_SECONDS);

  async function sendOpened(payload: Record<string, unknown>): Promise<void> {
    const job = openedJob.parse(payload);
    const incident = await deps.incidents.get(job.incidentId);
    if (!incident || !(await claimed('opened', incident.id))) return;
    await deps.notifier.error(incidentOpenedNotice(incident, new Date(job.occurredAt)));
  }

  async function sendRaised(payload: Record<string, unknown>): Promise<void> {
    const job = raisedJob.parse(payload);
    const incident = await deps.incidents.get(job.incidentId);
    // One crossing per incident: severity never falls, so it cannot cross the threshold twice.
    if (!incident || !(await claimed('raised', incident.id))) return;
    await deps.notifier.error(incidentRaisedNotice(incident, job.from, new Date(job.occurredAt)));
  }

  return { handlers: { [OPENED_NOTICE_JOB]: sendOpened, [RAISED_NOTICE_JOB]: sendRaised }, stop };
}
