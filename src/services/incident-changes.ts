/**
 * How every incident change is made and told, shared by the intake (signals) and the responders' actions:
 * - `transition`: read (or reuse the version this process last saw), apply a pure transition, write back on that
 *   version; on a lost race, read again (incident-writer.ts). The transition may answer "no change". In the same
 *   write, a change that takes an incident out of its storm digest records that (src/domain/digest.ts);
 * - `publish`: the timeline entries a change added become thread replies, and the message is refreshed (posted,
 *   for an incident the change took out of its digest);
 * - `emit` / `subscribe`: in-process listeners (phone escalation, Chatwork notices) hear what happened.
 */
import { timelineReplyText } from '../blocks/timeline.js';
import type { Clock } from '../domain/clock.js';
import { askedForOwnMessage, wantsOwnMessage } from '../domain/digest.js';
import type { Incident } from '../domain/incident.js';
import { leavesSilenceSummary } from '../domain/silence.js';
import type { Logger } from '../logger.js';
import type { IncidentEvent } from './incidents.js';
import { createIncidentWriter, type TransitionDone, type TransitionStep } from './incident-writer.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';
import type { IncidentStore } from './ports/incident-store.js';

export interface IncidentChanges {
  transition<R>(
    id: string,
    apply: (current: Incident) => TransitionStep<R>,
  ): Promise<TransitionDone<R> | undefined>;
  /** Posts the timeline entries `after` added since `before` in the thread, and refreshes the message. */
  publish(before: Incident | undefined, after: Incident): void;
  emit(event: IncidentEvent): void;
  subscribe(listener: (event: IncidentEvent) => void): () => void;
  /** A version written some other way in this process (the fold buffer's atomic adds). */
  saw(incident: Incident): void;
}

export function createIncidentChanges(deps: {
  store: IncidentStore;
  publisher: IncidentPublisher;
  clock: Clock;
  logger: Logger;
  /** Called with every version a transition saved (the fold buffer keeps its copy current). */
  saved(incident: Incident): void;
}): IncidentChanges {
  const { publisher, logger } = deps;
  const listeners = new Set<(event: IncidentEvent) => void>();
  const writer = createIncidentWriter({
    store: {
      get: (id) => deps.store.get(id),
      put: (incident, options) => deps.store.put(incident, options),
    },
    saved: (incident) => deps.saved(incident),
  });

  return {
    transition: (id, apply) =>
      writer.transition(id, (current) => {
        const step = apply(current);
        // In the same write: whether the change takes the incident out of its storm digest (domain/digest.ts).
        // Likewise out of a silence's end summary (domain/silence.ts).
        return 'next' in step
          ? {
              ...step,
              next: leavesSilenceSummary(current, wantsOwnMessage(current, step.next, deps.clock.now())),
            }
          : step;
      }),

    publish(before, after) {
      const known = before?.timeline.length ?? 0;
      const added = after.timeline.length >= known ? after.timeline.slice(known) : after.timeline.slice(-1);
      for (const entry of added) {
        if (entry.kind === 'opened') continue; // the message itself says it opened
        if (entry.kind === 'analysis') continue; // the analysis itself is in the thread, just above
        publisher.reply(after.id, timelineReplyText(after, entry));
      }
      // A digested incident someone acted on gets its own message now (domain/digest.ts).
      const left = before?.silenceSummary !== undefined && after.silenceSummary === undefined && !after.slack;
      publisher.sync(after.id, askedForOwnMessage(before, after) || left ? { poster: true } : undefined);
    },

    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          logger.error({ err: error, event: event.type }, 'incident listener failed');
        }
      }
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    saw: (incident) => writer.saw(incident),
  };
}
