/**
 * Where escalation policies keep their state (issue 19): one chain per incident and one phone line per person,
 * in the Escalations table (src/store/escalations-repository.ts). Every write is conditional on the version the
 * writer read (dynalite has no transactions), so two ticks, processes or Lambdas never take the same step twice.
 */
import type { PhoneLine } from '../../domain/phone-line.js';
import type { PolicyChain } from '../../domain/policy-chain.js';

/**
 * Work the due index holds: a chain whose step is due, a line with a call to place or to time out, or the marker of
 * an incident whose chain should exist by now (`start`: its opener may have died before creating it).
 */
export type DueWork =
  | { kind: 'chain'; chain: PolicyChain }
  | { kind: 'line'; line: PhoneLine }
  | { kind: 'start'; incidentId: string };

export interface EscalationStore {
  chain(incidentId: string): Promise<PolicyChain | undefined>;
  /**
   * Writes the chain if the stored one is still at `expectedVersion` (0: none stored); false when another writer
   * moved it first. Chains with `dueAt` are on the due index, ended ones are not.
   */
  saveChain(chain: PolicyChain, expectedVersion: number): Promise<boolean>;
  /** Claims one notification of the chain's current step (`phone:U1`): false when already claimed or moved on. */
  claimNotification(incidentId: string, version: number, key: string): Promise<boolean>;
  line(userId: string): Promise<PhoneLine | undefined>;
  saveLine(line: PhoneLine, expectedVersion: number): Promise<boolean>;
  /** Leaves a page for the incident on the user's line (idempotent); an idle line becomes due now. */
  page(userId: string, incidentId: string, now: number): Promise<void>;
  /** Takes the incident's page off the user's line, if it is still waiting there. */
  withdraw(userId: string, incidentId: string): Promise<void>;
  /**
   * Leaves the marker that the incident needs a chain, due at `dueAt` (written before the incident itself, so a
   * crash in between leaves the marker, never an incident without one). Unconditional: writing it again is harmless.
   */
  expectChain(incidentId: string, dueAt: number): Promise<void>;
  /** Takes the incident's marker off the due index: its chain exists (or it needs none). */
  chainStarted(incidentId: string): Promise<void>;
  /** Everything due at `now`, oldest first: a Query on the due index, never a Scan. */
  due(now: number): Promise<DueWork[]>;
}
