/**
 * An acknowledge or resolve signal (`status`/`event_action` in an alert): it acts on the fingerprint's open
 * incident, as its sender (`system:<source>`), or is ignored when none is open. Split out of incident-intake.ts.
 */
import type { AlertSignal } from '../domain/alert.js';
import { systemActor } from '../domain/incident.js';
import type { IncidentActions } from './incident-actions.js';
import type { IngestOutcome } from './incidents.js';
import type { IncidentStore } from './ports/incident-store.js';

export async function updateBySignal(
  signal: AlertSignal,
  fingerprint: string,
  deps: {
    store: Pick<IncidentStore, 'findOpenByFingerprint'>;
    actions: Pick<IncidentActions, 'acknowledge' | 'resolve'>;
  },
): Promise<IngestOutcome> {
  const existing = await deps.store.findOpenByFingerprint(fingerprint);
  if (!existing) {
    return { action: 'ignored', reason: `no open incident to ${signal.action}`, deduplicated: false };
  }
  const actor = systemActor(signal);
  if (signal.action === 'acknowledge') {
    const r = await deps.actions.acknowledge(existing.id, actor);
    return { incident: 'incident' in r ? r.incident : existing, deduplicated: true, action: 'acknowledged' };
  }
  const r = await deps.actions.resolve(existing.id, actor);
  return { incident: 'incident' in r ? r.incident : existing, deduplicated: true, action: 'resolved' };
}
