/**
 * The task queue without a broker, for `npm start` when RabbitMQ is not reachable (or `QUEUE=memory`): the same
 * contract as the RabbitMQ adapter (src/services/ports/task-queue.ts), retries with the same backoff and
 * dead-letters into `deadLetters()`. Nothing survives a restart.
 */
import type { Task } from '../domain/git-task.js';
import type { Logger } from '../logger.js';
import type { DeadLetterKind, TaskHandler, TaskQueue } from '../services/ports/task-queue.js';
import { createRecentIds, errorText, retryDelayFor } from './rabbitmq-consumer.js';
import { queueUnavailable } from './rabbitmq-publisher.js';
import { decodeTask, encodeTask } from '../domain/task-codec.js';

export interface DeadLetter {
  task: Task;
  attempts: number;
  error: string;
}

export interface InProcessTaskQueue extends TaskQueue {
  /** Tasks that failed `maxAttempts` times, oldest first. */
  deadLetters(): readonly DeadLetter[];
}

export interface InProcessTaskQueueOptions {
  maxAttempts: number;
  prefetch?: number;
  logger: Logger;
  /** First retry delay, doubling per failure. Defaults 1000 ms and 60 000 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Told about every dead-lettered task (metrics). */
  onDeadLetter?: (why: DeadLetterKind) => void;
}

interface Pending {
  task: Task;
  failures: number;
}

export function createInProcessTaskQueue(options: InProcessTaskQueueOptions): InProcessTaskQueue {
  const log = options.logger.child({ component: 'task-queue', queue: 'in-process' });
  const prefetch = options.prefetch ?? 10;
  const pending: Pending[] = [];
  const dead: DeadLetter[] = [];
  const completed = createRecentIds();
  const timers = new Set<NodeJS.Timeout>();
  const subscribers: { handler: TaskHandler; active: Set<Promise<void>>; stopped: boolean }[] = [];
  let closed = false;

  async function run(handler: TaskHandler, item: Pending): Promise<void> {
    try {
      await handler(structuredClone(item.task));
      completed.add(item.task.id);
    } catch (err) {
      const failures = item.failures + 1;
      const reason = errorText(err);
      if (failures >= options.maxAttempts) {
        log.error(
          { taskId: item.task.id, attempts: failures, reason },
          'Task failed too often; dead-lettering it',
        );
        dead.push({ task: item.task, attempts: failures, error: reason });
        options.onDeadLetter?.('failed');
        return;
      }
      log.warn({ taskId: item.task.id, attempt: failures, reason }, 'Task failed; will retry');
      const delay = retryDelayFor(failures, options.retryDelayMs ?? 1000, options.maxRetryDelayMs ?? 60_000);
      const timer = setTimeout(() => {
        timers.delete(timer);
        pending.push({ task: item.task, failures });
        pump();
      }, delay);
      timers.add(timer);
    }
  }

  function pump(): void {
    while (!closed && pending.length > 0) {
      const sub = subscribers.find((s) => !s.stopped && s.active.size < prefetch);
      if (sub === undefined) return;
      const item = pending.shift();
      if (item === undefined) return;
      if (completed.has(item.task.id)) continue;
      const p: Promise<void> = run(sub.handler, item).finally(() => {
        sub.active.delete(p);
        pump();
      });
      sub.active.add(p);
    }
  }

  return {
    async publish(task) {
      // Through the wire format, as on a broker: the consumer gets a validated copy, never the caller's object.
      const decoded = decodeTask(encodeTask(task));
      if (closed) throw queueUnavailable('The task queue is closed');
      if ('error' in decoded) throw new Error(decoded.error);
      pending.push({ task: decoded.task, failures: 0 });
      queueMicrotask(pump);
    },
    async consume(handler) {
      if (closed) throw queueUnavailable('The task queue is closed');
      const sub = { handler, active: new Set<Promise<void>>(), stopped: false };
      subscribers.push(sub);
      queueMicrotask(pump);
      return {
        async stop() {
          sub.stopped = true;
          subscribers.splice(subscribers.indexOf(sub), 1);
          await Promise.allSettled([...sub.active]);
        },
      };
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled(subscribers.flatMap((s) => [...s.active]));
      if (pending.length > 0)
        log.warn({ dropped: pending.length }, 'Closing the in-process queue with tasks left');
    },
    isConnected: () => !closed,
    ready: async () => !closed,
    deadLetters: () => [...dead],
  };
}
