/**
 * Repeats that can be counted without reading the incident: the pure rules behind the fold buffer
 * (src/services/fold-buffer.ts). A repeat that only moves the count, last seen, message and details is a
 * "plain" repeat: many of them add up to one atomic write. One that would raise the severity or bring a new
 * link goes through `foldSignal` (src/domain/incident.ts) as before, because it changes what the incident is.
 */
import { firingsOf, repeatSeverity, type AlertSignal } from './alert.js';
import { LINKS_MAX, type Incident } from './incident.js';
import { storableFields } from './storable.js';

/** What a batch of plain repeats changes: applied to the stored incident in one atomic update. */
export interface FoldBatch {
  count: number;
  /** The latest repeat's time (ISO 8601); the store keeps the later of this and what it has. */
  lastSeenAt: string;
  /** The latest repeat's message and details, when it had them (a repeat refreshes them, as foldSignal does). */
  message?: string;
  details?: Record<string, unknown>;
}

/**
 * True when folding `signal` into `incident` changes only count, last seen, message and details. A signal that
 * names its firing (Alertmanager) is never plain: whether it counts depends on the firing the store has, so it
 * is decided by a conditional write on the incident's version.
 */
export function isPlainRepeat(
  incident: Pick<Incident, 'severity' | 'links' | 'status'>,
  signal: AlertSignal,
): boolean {
  if (incident.status === 'resolved' || signal.firingId !== undefined) return false;
  if (repeatSeverity(incident.severity, signal) !== incident.severity) return false;
  if (signal.links.length === 0 || incident.links.length >= LINKS_MAX) return true; // nothing new to keep
  return signal.links.every((l) => incident.links.some((known) => known.url === l.url));
}

/** Adds a repeat seen at `at` (its firings) to a batch (or starts one). */
export function addToBatch(batch: FoldBatch | undefined, signal: AlertSignal, at: string): FoldBatch {
  const lastSeenAt = batch === undefined || at > batch.lastSeenAt ? at : batch.lastSeenAt;
  // Stored as foldSignal stores them: clipped and made storable (src/domain/storable.ts).
  const stored = storableFields(signal);
  const message = stored.message ?? batch?.message;
  const details = stored.details ?? batch?.details;
  return {
    count: (batch?.count ?? 0) + firingsOf(signal),
    lastSeenAt,
    ...(message === undefined ? {} : { message }),
    ...(details === undefined ? {} : { details }),
  };
}

/** Two batches as one (a failed write's batch merged back ahead of what arrived meanwhile). */
export function mergeBatches(first: FoldBatch, second: FoldBatch | undefined): FoldBatch {
  if (second === undefined) return first;
  const message = second.message ?? first.message;
  const details = second.details ?? first.details;
  return {
    count: first.count + second.count,
    lastSeenAt: second.lastSeenAt > first.lastSeenAt ? second.lastSeenAt : first.lastSeenAt,
    ...(message === undefined ? {} : { message }),
    ...(details === undefined ? {} : { details }),
  };
}

/** The incident as it will read once `batches` are written: what an answer to a buffered repeat shows. */
export function withBatches(incident: Incident, batches: readonly (FoldBatch | undefined)[]): Incident {
  let next = incident;
  for (const batch of batches) {
    if (batch === undefined) continue;
    next = {
      ...next,
      count: next.count + batch.count,
      lastSeenAt: batch.lastSeenAt > next.lastSeenAt ? batch.lastSeenAt : next.lastSeenAt,
      ...(batch.message === undefined ? {} : { message: batch.message }),
      ...(batch.details === undefined ? {} : { details: batch.details }),
    };
  }
  return next;
}
