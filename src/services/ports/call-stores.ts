/**
 * The seed's call tables as the escalation services need them (implemented by src/store/call-status-repository.ts,
 * in-progress-repository.ts and call-history-repository.ts): CallStatus holds a flat-list chain per incident,
 * InProgress says who owns an error, CallHistory lists every call attempt and outcome.
 */

// ---- CallStatus (statusId)
export interface CallStatusItem {
  statusId: string;
  state: string;
  /** Epoch seconds. */
  ttl: number;
  updatedAt: number;
  [attribute: string]: unknown;
}

/** What a caller provides; `ttl` and `updatedAt` are set by the repository. */
export type NewCallStatus = { statusId: string; state: string } & Record<string, unknown>;
export interface CallStatusRepository {
  get(statusId: string): Promise<CallStatusItem | undefined>;
  /** False when a live item already exists (an expired one is replaced). */
  create(item: NewCallStatus, ttlSeconds?: number): Promise<boolean>;
  /**
   * Sets `changes` on a live item; with `expectedState` only while its `state` is that value (or one of
   * them), and with `expected` only while each named attribute equals the given value (e.g. the attempt
   * number an escalation step read). False when the item is missing, expired or in another state.
   */
  update(
    statusId: string,
    changes: Record<string, unknown>,
    options?: {
      expectedState?: string | readonly string[] | undefined;
      expected?: Readonly<Record<string, string | number | boolean>> | undefined;
    },
  ): Promise<boolean>;
  delete(statusId: string): Promise<void>;
}

// ---- InProgress (errorId)
export type InProgressClaim = { responderId: string } & Record<string, unknown>;

export interface InProgressItem {
  errorId: string;
  responderId: string;
  claimedAt: number;
  /** Absent when the claim was made without a lifetime. */
  ttl?: number;
  [attribute: string]: unknown;
}

export interface InProgressRepository {
  /** True when this call took the claim; false while another live claim exists. No ttl = until released. */
  claim(errorId: string, claim: InProgressClaim, ttlSeconds?: number): Promise<boolean>;
  get(errorId: string): Promise<InProgressItem | undefined>;
  /**
   * Drops the claim. With `responderId`, only if that responder holds it (false otherwise), so a stale
   * release cannot drop someone else's newer claim.
   */
  release(errorId: string, options?: { responderId?: string }): Promise<boolean>;
}

// ---- CallHistory (errorId)
export type CallHistoryEntry = Record<string, unknown>;

export interface CallHistoryRepository<E extends CallHistoryEntry = CallHistoryEntry> {
  /** Appends one attempt and pushes the item's expiry to now + `ttlDays`. */
  append(errorId: string, entry: E, ttlDays: number): Promise<void>;
  /** Attempts in the order they were appended; empty when none or expired. */
  list(errorId: string): Promise<E[]>;
}
