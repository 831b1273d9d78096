/**
 * How the incident service changes a stored incident: read, apply a pure transition, write back on the version
 * read (a conditional put), and on a lost race read again.
 *
 * Two things keep that cheap when many people act on one incident at once (issue 10, B4: 200 clicks in a
 * burst, forty on one incident):
 * - changes to one incident are queued in this process (a keyed lock), so they never race each other; only
 *   another process can make a write lose, and then the loser reads again;
 * - the version this process last read or wrote is kept, so the next change writes without reading first. The
 *   conditional put still checks the version: a stale copy (another process wrote) costs one failed write and a
 *   read, never a lost update. A decision *not* to write ("already acknowledged") is only taken on a fresh read.
 */
import { AppError, ErrorCode, isAppError } from '../errors.js';
import type { Incident } from '../domain/incident.js';
import { createKeyedLock } from './keyed-lock.js';

export interface IncidentWrites {
  get(id: string): Promise<Incident | undefined>;
  /** Conditional on `expectedVersion`; throws AppError(Conflict) when the stored version differs. */
  put(incident: Incident, options: { expectedVersion: number }): Promise<Incident>;
}

export type TransitionStep<R> = { next: Incident; result: R } | { result: R };

export interface TransitionDone<R> {
  result: R;
  before: Incident;
  /** Set when something was written. */
  after?: Incident;
}

export interface IncidentWriter {
  transition<R>(
    id: string,
    apply: (current: Incident) => TransitionStep<R>,
  ): Promise<TransitionDone<R> | undefined>;
  /** A version written some other way in this process (the fold buffer's atomic adds): the newest one wins. */
  saw(incident: Incident): void;
}

/** Conditional writes that lose a race re-read and try again; more than this means something is wrong. */
export const MAX_WRITE_ATTEMPTS = 20;
const MAX_KEPT = 1_000;

export function createIncidentWriter(deps: {
  store: IncidentWrites;
  /** Called with every version this writer saved. */
  saved(incident: Incident): void;
}): IncidentWriter {
  const lock = createKeyedLock();
  const kept = new Map<string, Incident>();

  const keep = (incident: Incident) => {
    const known = kept.get(incident.id);
    if (known !== undefined && known.version > incident.version) return;
    kept.delete(incident.id); // most recently used last
    kept.set(incident.id, incident);
    if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value ?? '');
  };

  async function attempt<R>(
    id: string,
    apply: (current: Incident) => TransitionStep<R>,
  ): Promise<TransitionDone<R> | undefined> {
    let copy = kept.get(id);
    for (let n = 1; n <= MAX_WRITE_ATTEMPTS; n += 1) {
      const fromCopy = copy !== undefined;
      const current = copy ?? (await deps.store.get(id));
      copy = undefined;
      if (!current) {
        kept.delete(id);
        return undefined;
      }
      const outcome = apply(current);
      if (!('next' in outcome)) {
        if (fromCopy) continue; // decide "no change" on what is stored, not on a copy
        keep(current);
        return { result: outcome.result, before: current };
      }
      try {
        const saved = await deps.store.put(outcome.next, { expectedVersion: current.version });
        keep(saved);
        deps.saved(saved);
        return { result: outcome.result, before: current, after: saved };
      } catch (error) {
        if (!(isAppError(error) && error.code === ErrorCode.Conflict)) throw error;
        kept.delete(id);
      }
    }
    throw new AppError(
      ErrorCode.Conflict,
      `incident ${id} kept changing; gave up after ${MAX_WRITE_ATTEMPTS} attempts`,
    );
  }

  return {
    transition: (id, apply) => lock.run(id, () => attempt(id, apply)),
    saw: (incident) => {
      if (kept.has(incident.id)) keep(incident);
    },
  };
}
