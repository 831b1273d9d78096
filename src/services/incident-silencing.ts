/**
 * Silences acting on stored incidents (src/domain/silence.ts): a new silence holds the open incidents it matches,
 * and its end releases them. Versioned transitions like every other change; the message (if the incident has
 * one) is edited, nothing is said in its thread and no event is emitted (a silence tells nobody).
 */
import { holdIncident, releaseIncident } from '../domain/silence.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentChanges } from './incident-changes.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';

export interface IncidentSilencing {
  /** Held by these silences too; undefined when it is gone or was already held by them. */
  hold(id: string, silenceIds: readonly string[]): Promise<Incident | undefined>;
  /** No longer held by this silence; `listed`: its end summary lists it. Undefined when it was not held. */
  release(id: string, silenceId: string, listed: boolean): Promise<Incident | undefined>;
}

export function createIncidentSilencing(deps: {
  changes: IncidentChanges;
  publisher: Pick<IncidentPublisher, 'sync'>;
}): IncidentSilencing {
  const apply = async (id: string, change: (current: Incident) => Incident | undefined) => {
    const done = await deps.changes.transition(id, (current) => {
      const next = change(current);
      return next === undefined ? { result: false } : { next, result: true };
    });
    if (!done?.after) return undefined;
    deps.publisher.sync(id);
    return done.after;
  };
  return {
    hold: (id, silenceIds) => apply(id, (current) => holdIncident(current, silenceIds)),
    release: (id, silenceId, listed) => apply(id, (current) => releaseIncident(current, silenceId, listed)),
  };
}
