/**
 * Ack fast, work later (DESIGN.md). Slack needs an answer within 3 s, so slow work (Bedrock, Confluence,
 * calls, large updates) is handed to `defer` after the ack. Locally it is a background promise; on Lambda
 * it becomes an asynchronous invocation of the worker function, because work left running after a
 * Lambda returns is frozen and lost.
 */
export interface DeferredJob {
  /** A stable name the worker dispatches on, e.g. `analysis.run`. */
  name: string;
  /** JSON-serialisable arguments: on Lambda they travel in the worker's event. */
  payload: Record<string, unknown>;
}

export interface Defer {
  (job: DeferredJob): void;
  /** Resolves when everything deferred so far has finished (tests, graceful shutdown). */
  drain(): Promise<void>;
}

export type DeferredHandlers = Record<string, (payload: Record<string, unknown>) => Promise<void>>;
