/**
 * The task queue the app uses (issue 5), chosen from the config:
 *   - `QUEUE=memory`: the in-process queue;
 *   - `QUEUE=rabbitmq`: RabbitMQ, always (a broker outage answers 503 and reconnects with backoff);
 *   - `QUEUE` unset: RabbitMQ, except that `npm start` (`fallbackToMemory`) uses the in-process queue when the
 *     broker cannot be reached at start-up, and says so.
 * The connection is opened on first use, so an entry point that never touches the queue (the Slack Lambda) never
 * connects.
 */
import type { Logger } from '../logger.js';
import type { TaskQueue } from '../services/ports/task-queue.js';
import { createInProcessTaskQueue } from './in-process-task-queue.js';
import { queueUnavailable } from './rabbitmq-publisher.js';
import { createTaskQueue, type TaskQueueOptions } from './rabbitmq.js';

export interface AppTaskQueueOptions {
  mode: 'rabbitmq' | 'memory' | undefined;
  /** Only with `mode` unset: use memory when the broker is unreachable at the first connection attempt. */
  fallbackToMemory: boolean;
  rabbitmq: Omit<TaskQueueOptions, 'logger'>;
  logger: Logger;
}

export interface AppTaskQueue extends TaskQueue {
  /** Which queue is in use; undefined until first use. */
  kind(): 'rabbitmq' | 'memory' | undefined;
}

/** Where a URL points, without its credentials, for log lines. */
export function brokerAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparseable AMQP_URL)';
  }
}

export function createAppTaskQueue(options: AppTaskQueueOptions): AppTaskQueue {
  const log = options.logger.child({ component: 'task-queue' });
  let current: Promise<TaskQueue> | undefined;
  let kind: 'rabbitmq' | 'memory' | undefined;
  let resolved: TaskQueue | undefined;

  const memory = (): TaskQueue => {
    kind = 'memory';
    return createInProcessTaskQueue({
      maxAttempts: options.rabbitmq.maxAttempts,
      logger: options.logger,
      ...(options.rabbitmq.onDeadLetter ? { onDeadLetter: options.rabbitmq.onDeadLetter } : {}),
    });
  };

  async function build(): Promise<TaskQueue> {
    if (options.mode === 'memory') return memory();
    const rabbit = createTaskQueue({ ...options.rabbitmq, logger: options.logger });
    kind = 'rabbitmq';
    if (options.mode === 'rabbitmq' || !options.fallbackToMemory) return rabbit;
    if (await rabbit.ready()) return rabbit;
    log.warn(
      { broker: brokerAddress(options.rabbitmq.url) },
      'RabbitMQ is not reachable: using an in-process task queue (tasks do not survive a restart; set QUEUE=rabbitmq to insist on the broker)',
    );
    await rabbit.close();
    return memory();
  }

  let closed = false;
  const queue = (): Promise<TaskQueue> => {
    if (closed) return Promise.reject(queueUnavailable('The task queue is closed'));
    current ??= build().then((q) => {
      resolved = q;
      return q;
    });
    return current;
  };

  return {
    publish: async (task) => (await queue()).publish(task),
    consume: async (handler) => (await queue()).consume(handler),
    ready: async () => (await queue()).ready(),
    isConnected: () => resolved?.isConnected() ?? false,
    async close() {
      closed = true;
      if (current === undefined) return;
      await (await current).close();
    },
    kind: () => kind,
  };
}
