/**
 * The task queue port (issue 5): webhooks publish tasks, a consumer processes them. Two adapters implement it:
 * RabbitMQ (src/integrations/rabbitmq.ts) and an in-process queue for local runs without a broker
 * (src/integrations/in-process-task-queue.ts).
 */
import type { Task } from '../../domain/git-task.js';

/** Why a message went to the dead-letter queue: it was not a task, or its handler failed too often. */
export type DeadLetterKind = 'poison' | 'failed';

/** Processes one task. Resolving acks it; a throw retries it with backoff, then dead-letters it. */
export type TaskHandler = (task: Task) => Promise<void>;

export interface TaskConsumer {
  /** Stops taking new tasks, waits for running handlers to finish and settle. */
  stop(): Promise<void>;
}

export interface TaskQueue {
  /** Resolves once the queue holds the message (broker confirm); rejects with `AppError(QUEUE_UNAVAILABLE)`. */
  publish(task: Task): Promise<void>;
  /** Handler success → ack; a throw → retry with backoff, dead-lettered after `maxAttempts` failures. */
  consume(handler: TaskHandler): Promise<TaskConsumer>;
  close(): Promise<void>;
  isConnected(): boolean;
  /** Resolves after the first connection attempt: true when connected (the app falls back when false). */
  ready(): Promise<boolean>;
}
