/**
 * Amazon MQ for RabbitMQ → the task service: the body of the Lambda `tasks` handler (src/lambda.ts).
 * Event shape: https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html (`eventSource: "aws:rmq"`, messages
 * grouped by `<queue>::<virtual host>`, each body base64 in `data`).
 *
 * Every message of the batch is tried, in order:
 *   - a message that is not a task (not JSON, wrong shape) is logged at error level with an excerpt and skipped:
 *     no retry can fix it, and failing the batch for it would redeliver the batch forever;
 *   - a task whose processing fails is remembered, and once the batch is done the handler throws, so the event
 *     source delivers the batch again. Tasks that did succeed are then skipped by the task service's idempotency
 *     (by task id), so only the failed ones are redone.
 */
import type { Task } from '../../domain/git-task.js';
import { AppError, ErrorCode } from '../../errors.js';
import { decodeTask } from '../../domain/task-codec.js';
import type { Logger } from '../../logger.js';

export interface AmazonMqMessage {
  basicProperties?: { messageId?: string | null; [key: string]: unknown };
  redelivered?: boolean;
  /** The body, base64. */
  data: string;
}

export interface AmazonMqEvent {
  eventSource: string;
  eventSourceArn?: string;
  rmqMessagesByQueue: Record<string, AmazonMqMessage[]>;
}

export interface AmazonMqBatchResult {
  processed: number;
  skipped: number;
}

const EXCERPT = 200;

export async function handleAmazonMqEvent(
  event: AmazonMqEvent,
  process: (task: Task) => Promise<unknown>,
  logger: Logger,
): Promise<AmazonMqBatchResult> {
  const log = logger.child({ component: 'amazon-mq' });
  if (event.eventSource !== 'aws:rmq' || typeof event.rmqMessagesByQueue !== 'object') {
    throw new AppError(
      ErrorCode.BadRequest,
      `Not an Amazon MQ for RabbitMQ event (${String(event.eventSource)})`,
    );
  }
  let processed = 0;
  let skipped = 0;
  const failures: { taskId: string; reason: string }[] = [];
  for (const [queue, messages] of Object.entries(event.rmqMessagesByQueue)) {
    for (const message of messages) {
      const content = Buffer.from(typeof message.data === 'string' ? message.data : '', 'base64');
      const decoded = decodeTask(content);
      if ('error' in decoded) {
        skipped += 1;
        log.error(
          {
            queue,
            messageId: message.basicProperties?.messageId ?? undefined,
            reason: decoded.error,
            excerpt: content.toString('utf8').slice(0, EXCERPT),
          },
          'Dropping a message that is not a task',
        );
        continue;
      }
      try {
        await process(decoded.task);
        processed += 1;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        log.warn({ queue, taskId: decoded.task.id, reason }, 'Task failed; the batch will be retried');
        failures.push({ taskId: decoded.task.id, reason });
      }
    }
  }
  if (failures.length > 0) {
    throw new AppError(
      ErrorCode.Internal,
      `${failures.length} task(s) failed: ${failures.map((f) => `${f.taskId} (${f.reason})`).join('; ')}`,
      { details: { failures } },
    );
  }
  return { processed, skipped };
}
