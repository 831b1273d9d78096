/**
 * What the on-call services keep (issue 18): each schedule's overrides, swap requests, and the claims that make
 * each handoff's notice, user-group update and DM happen once. Schedules themselves come from ONCALL_CONFIG.
 * The DynamoDB implementation is src/store/oncall-repository.ts (table `Oncall`).
 */
import type { Override } from '../../domain/schedules/overrides.js';

/** An override as stored: who made it, and why (a `/oncall override`, or an accepted swap). */
export interface StoredOverride extends Override {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: number;
  /** The swap request it came from. */
  readonly swapId?: string;
}

export interface ScheduleOverrides {
  readonly overrides: readonly StoredOverride[];
  /** 0 before the first save; a save names the version it read. */
  readonly version: number;
}

export type SwapStatus = 'pending' | 'accepted' | 'declined';

/** "Would you take payments-primary from … until …?": asked by `requester`, answered by `asked`. */
export interface SwapRequest {
  readonly id: string;
  readonly schedule: string;
  readonly requester: string;
  readonly asked: string;
  readonly start: number;
  readonly end: number;
  readonly status: SwapStatus;
  readonly createdAt: number;
  readonly answeredAt?: number;
  /** Where the question was asked (the DM), so the answer can replace its buttons. */
  readonly message?: { readonly channel: string; readonly ts: string };
}

export interface OncallStore {
  /** The schedule's overrides, read consistently, with the version a save must name. */
  overrides(schedule: string): Promise<ScheduleOverrides>;
  /**
   * Replaces the schedule's overrides if they are still at `expectedVersion`; false when someone saved in
   * between (read again, check again, retry). The check and the write are one conditional write, so two people
   * adding overlapping overrides at once cannot both succeed.
   */
  saveOverrides(
    schedule: string,
    overrides: readonly StoredOverride[],
    expectedVersion: number,
  ): Promise<boolean>;

  /** Stores a new pending request; false when its id is taken. */
  createSwap(swap: SwapRequest): Promise<boolean>;
  swap(id: string): Promise<SwapRequest | undefined>;
  /** Moves a pending request to `status`; false when it was no longer pending (answered already). */
  answerSwap(id: string, status: Exclude<SwapStatus, 'pending'>, at: number): Promise<boolean>;
  /** Moves an accepted request back to pending (its override could not be added); false when not accepted. */
  reopenSwap(id: string): Promise<boolean>;
  /** Records where the question was posted. */
  setSwapMessage(id: string, message: { channel: string; ts: string }): Promise<void>;

  /**
   * Takes the lease on a once-only step (`key`: schedule, shift start and step) for `leaseMs`: false when the
   * step is done, or another process holds an unexpired lease. `completeStep` marks it done for good;
   * `releaseStep` gives the lease back after a failure so the next tick retries.
   */
  claimStep(key: string, leaseMs: number): Promise<boolean>;
  completeStep(key: string): Promise<void>;
  releaseStep(key: string): Promise<void>;
  /** Whether the step is done (a read; claims do not need it, ticks use it to skip work cheaply). */
  stepDone(key: string): Promise<boolean>;
}
