/**
 * Where silences are kept (src/store/silences-repository.ts, the Silences table). Every decision several
 * processes could take at once is a conditional write: ending a silence early, applying it once, and above all
 * taking on its end summary, which exactly one process may post.
 */
import type { Silence } from '../../domain/silence.js';

export interface SilenceStore {
  /** Stores a new silence; false when the id is taken. */
  create(silence: Silence): Promise<boolean>;
  get(id: string): Promise<Silence | undefined>;
  /** Every stored silence (a Scan: the table holds a few hundred at most; ended ones expire). */
  list(): Promise<Silence[]>;
  /** Ends it early at `at` unless it has already ended; undefined when unknown or already ended. */
  expire(id: string, by: string, at: string): Promise<Silence | undefined>;
  /** Marks it applied (its open incidents held); false when another process did first. */
  markApplied(id: string, at: string): Promise<boolean>;
  /**
   * Takes on its end summary: true for exactly one caller, unless that one's claim is older than `staleBefore`
   * and it never recorded the post (it died): then the next caller takes it over.
   */
  claimSummary(id: string, at: string, staleBefore: string): Promise<boolean>;
  /** Gives the claim back (the post failed): the next tick tries again. */
  releaseSummary(id: string): Promise<void>;
  /** Records the summary as done. */
  recordSummary(
    id: string,
    summary: { postedAt: string; incidents: number; slack?: { channel: string; ts: string } },
  ): Promise<void>;
}
