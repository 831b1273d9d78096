/**
 * The task use cases (issue 5), on both sides of the queue:
 *
 * `enqueue` (webhook routes): a verified, mapped task is queued once.
 *   - The delivery key (`X-GitHub-Delivery`, GitLab's `Idempotency-Key` / `X-Gitlab-Event-UUID`) is claimed
 *     with a conditional write: a redelivery is a `duplicate`.
 *   - The item is claimed too (`task-item:<source>:<repo>#<number>`, `!` for GitLab merge requests) for
 *     `ITEM_DEDUP_SECONDS`, so one item yields one task and one Slack thread even when it arrives as several
 *     events: GitHub sends `opened` and `labeled` for an issue created with the label; a GitLab project hook and
 *     a system hook deliver the same change twice under different keys.
 *   - Only a broker-confirmed publish counts: when publishing fails, both claims are released, so the sender's
 *     retry or redelivery is processed, and the error (503) reaches the sender.
 *
 * `process` (consumers): idempotent by task id through the TaskLedger. Post the message to Slack (once, even across
 * retries), get its permalink, then comment on the item "Hikeshi received this task: <permalink>". A comment that
 * fails for good (a 4xx such as 404: the token cannot see the repository) is noted in the thread instead of
 * retried; a transient failure throws, and the retry resumes after the post.
 */
import { itemReference, type Task } from '../domain/git-task.js';
import { commentFailedText } from '../blocks/task-message.js';
import type { Clock } from '../domain/clock.js';
import { AppError, ErrorCode, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TaskChannel } from './ports/task-channel.js';
import type { TaskCommenter } from './ports/task-commenter.js';
import type { TaskLedger } from './ports/task-ledger.js';
import type { TaskQueue } from './ports/task-queue.js';

/** Redeliveries: GitHub lets people redeliver deliveries of the past 3 days; keep keys a little longer. */
export const DELIVERY_DEDUP_SECONDS = 7 * 86_400;
/**
 * One item, one task within this window: long enough to fold the events one action produces (opened + labeled
 * arrive within seconds; a project and a system hook within GitLab's retries), short enough that taking the label
 * off and putting it back on later makes a new task.
 */
export const ITEM_DEDUP_SECONDS = 3600;

export interface ClaimStore {
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  release(key: string): Promise<void>;
}

export interface TaskServiceDeps {
  queue: TaskQueue;
  /** `store.dedup`. */
  dedup: ClaimStore;
  ledger: TaskLedger;
  channel: TaskChannel;
  commenter: TaskCommenter;
  clock: Clock;
  logger: Logger;
}

export interface Delivery {
  source: Task['source'];
  /** The sender's delivery id, or `sha256:<hex>` of the body when it sent none. */
  key: string;
}

export type EnqueueResult =
  | { outcome: 'queued'; taskId: string }
  | { outcome: 'duplicate'; of: 'delivery' }
  | { outcome: 'duplicate'; of: 'item'; item: string };

export type ProcessResult = 'processed' | 'already-processed';

export interface TaskService {
  enqueue(task: Task, delivery: Delivery): Promise<EnqueueResult>;
  process(task: Task): Promise<ProcessResult>;
}

export const receivedComment = (permalink: string): string => `Hikeshi received this task: ${permalink}`;

/** A 4xx other than timeout / rate limit: retrying will not help. */
function isPermanent(error: unknown): boolean {
  const status = isAppError(error) ? error.details?.['status'] : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function createTaskService(deps: TaskServiceDeps): TaskService {
  const log = deps.logger.child({ component: 'tasks' });

  async function releaseQuietly(key: string): Promise<void> {
    await deps.dedup.release(key).catch((err: unknown) => {
      // The 503 still goes out; a redelivery will then be taken for a duplicate, so say so loudly.
      log.error({ err, key }, 'Could not release a dedup claim after a failed publish');
    });
  }

  async function comment(task: Task, posted: { channel: string; ts: string }, permalink: string) {
    const ref = `${task.source}:${itemReference(task)}`;
    try {
      const outcome = await deps.commenter.comment(task, receivedComment(permalink));
      log.info(
        { taskId: task.id, item: ref, outcome },
        outcome === 'skipped' ? 'No token: not commenting' : 'Commented on the item',
      );
    } catch (err) {
      if (!isPermanent(err)) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      log.warn(
        { taskId: task.id, item: ref, reason },
        'Could not comment on the item; noting it in the thread',
      );
      await deps.channel.reply(posted, commentFailedText(task, reason));
    }
  }

  return {
    async enqueue(task, delivery) {
      const deliveryKey = `webhook:${delivery.source}:${delivery.key}`;
      if (!(await deps.dedup.claim(deliveryKey, DELIVERY_DEDUP_SECONDS))) {
        log.info({ deliveryKey }, 'Duplicate delivery; already processed');
        return { outcome: 'duplicate', of: 'delivery' };
      }
      const item = `${task.source}:${itemReference(task)}`;
      const itemKey = `task-item:${item}`;
      if (!(await deps.dedup.claim(itemKey, ITEM_DEDUP_SECONDS))) {
        log.info({ item, taskId: task.id }, 'A task for this item was queued recently; not queueing another');
        return { outcome: 'duplicate', of: 'item', item };
      }
      try {
        await deps.queue.publish(task);
      } catch (err) {
        await releaseQuietly(itemKey);
        await releaseQuietly(deliveryKey);
        throw err;
      }
      log.info({ taskId: task.id }, 'Task queued successfully');
      return { outcome: 'queued', taskId: task.id };
    },

    async process(task) {
      const begun = await deps.ledger.begin(task.id);
      if (begun.state === 'done') {
        log.info({ taskId: task.id }, 'Task already processed; skipping');
        return 'already-processed';
      }
      if (begun.state === 'busy') {
        // Thrown so the queue retries it later, by when the other worker has finished (or its lease ran out).
        throw new AppError(ErrorCode.Conflict, `Task ${task.id} is being processed by another worker`);
      }
      try {
        let posted = begun.posted;
        if (posted === undefined) {
          posted = await deps.channel.post(task);
          await deps.ledger.markPosted(task.id, posted);
          log.info({ taskId: task.id, channel: posted.channel, ts: posted.ts }, 'Task posted to Slack');
        }
        const permalink = await deps.channel.permalink(posted);
        await comment(task, posted, permalink);
        await deps.ledger.complete(task.id);
        return 'processed';
      } catch (err) {
        await deps.ledger.abandon(task.id).catch((abandonErr: unknown) => {
          log.warn(
            { err: abandonErr, taskId: task.id },
            'Could not release the task lease; it expires by itself',
          );
        });
        throw err;
      }
    },
  };
}
