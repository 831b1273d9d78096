/**
 * Idempotent task processing (issue 5). Delivery is at least once (broker redeliveries, Lambda retries, two
 * consumers), so the task service records each task's progress by task id:
 *   begin → (post to Slack → markPosted) → comment → complete, or abandon on failure.
 * A task already completed is skipped; one posted but not completed is resumed without posting again; one another
 * worker holds (an unexpired lease) is `busy`, and the caller retries later.
 */
export interface PostedRef {
  channel: string;
  ts: string;
}

export type TaskBegin =
  /** This worker holds the task now; `posted` is set when an earlier attempt already posted it. */
  { state: 'started'; posted?: PostedRef } | { state: 'done' } | { state: 'busy' };

export interface TaskLedger {
  begin(taskId: string): Promise<TaskBegin>;
  markPosted(taskId: string, posted: PostedRef): Promise<void>;
  complete(taskId: string): Promise<void>;
  /** Gives the lease up after a failure (what was posted stays recorded), so a retry can resume at once. */
  abandon(taskId: string): Promise<void>;
}
