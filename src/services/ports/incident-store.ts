/**
 * Where incidents are kept, as the incident service needs it (implemented by src/store/incidents-repository.ts).
 * Every change is conditional — on the version read, on a fingerprint pointer's holder, on the incident being
 * open — because several processes (servers, Lambda containers) act on the same incidents and the store has no
 * transactions.
 */
import type { FoldBatch } from '../../domain/fold.js';
import type { Incident } from '../../domain/incident.js';

export interface IncidentStore {
  /** The next incident number: 1, 2, 3… unique even under concurrent calls. */
  nextNumber(): Promise<number>;
  get(id: string): Promise<Incident | undefined>;
  /** Stores a new incident at version 1; false when the id is taken. */
  create(incident: Incident): Promise<boolean>;
  /** Replaces the incident if its stored version is `expectedVersion`; else AppError(Conflict). */
  put(incident: Incident, options: { expectedVersion: number }): Promise<Incident>;
  /**
   * Points the fingerprint at `incidentId` unless it points elsewhere (taking it over from `replacing`, or from a
   * claim whose incident was never created, long after: its opener died); resolves to the incident id that won.
   */
  claimFingerprint(
    fingerprint: string,
    incidentId: string,
    options?: { replacing?: string },
  ): Promise<string>;
  /** The latest incident for the fingerprint, open or resolved. */
  findByFingerprint(fingerprint: string): Promise<Incident | undefined>;
  /** The open incident for the fingerprint, if any. */
  findOpenByFingerprint(fingerprint: string): Promise<Incident | undefined>;
  /** Repeats added in one atomic write without a version; undefined when the incident is closed or gone. */
  addFolds(id: string, batch: FoldBatch): Promise<Incident | undefined>;
  listOpen(): Promise<Incident[]>;
  /** Incidents whose Slack message is missing or behind. */
  listUnshown(): Promise<Incident[]>;
  /** The Slack message now shows `version`. */
  markShown(id: string, version: number): Promise<void>;
}
