/**
 * Two parts of the intake (incident-intake.ts), split out for size.
 *
 * An acknowledge or resolve signal (`status`/`event_action` in an alert): it acts on the fingerprint's open
 * incident, as its sender (`system:<source>`), or is ignored when none is open.
 */
import type { AlertSignal } from '../domain/alert.js';
import { systemActor, type Incident } from '../domain/incident.js';
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

/** How long a folder waits for a concurrent opener (another process) to finish creating the incident. */
const OPENER_WAIT_MS = [10, 25, 50, 100, 200, 400, 800];

/** The incident another process claimed the fingerprint for, once it is stored (undefined: it never was). */
export async function waitForIncident(
  store: Pick<IncidentStore, 'get'>,
  id: string,
): Promise<Incident | undefined> {
  for (const delay of OPENER_WAIT_MS) {
    const found = await store.get(id);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return store.get(id);
}
