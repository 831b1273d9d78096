/**
 * The RabbitMQ adapter of the task queue port (src/services/ports/task-queue.ts; issue 5): amqplib 2.x, durable
 * queue, persistent messages, publisher confirms, reconnect with exponential backoff, retries and a dead-letter
 * queue (topology in rabbitmq-publisher.ts, consumer semantics in rabbitmq-consumer.ts). The same contract
 * without a broker is in-process-task-queue.ts.
 *
 * Reconnection uses amqplib's built-in recovery (`connect(url, { recovery })`), which re-opens the connection
 * with backoff but not channels: our `setup` re-creates the confirm channel, re-asserts the topology and
 * re-attaches every live consumer on each (re)connect. A channel that dies on its own (a channel-level error,
 * the broker cancelling a consumer) recycles the whole connection, so one path rebuilds everything.
 *
 * `publish` never waits out an outage: while disconnected it rejects at once with `QUEUE_UNAVAILABLE` (503), and
 * a broker that does not confirm within `confirmTimeoutMs` rejects the same way, so the webhook route answers 503
 * inside GitHub's / GitLab's 10 s and the sender redelivers. Only before the very first connection attempt has
 * finished does `publish` wait for it (bounded by `confirmTimeoutMs`).
 */
import { Socket } from 'node:net';
import type { ChannelModel, RecoveringChannelModel } from 'amqplib';
import type { Logger } from '../logger.js';
import type { DeadLetterKind, TaskQueue } from '../services/ports/task-queue.js';
import { createAmqpConsumer, errorText, settlesWithin, type AmqpConsumer } from './rabbitmq-consumer.js';
import {
  assertTaskTopology,
  createConfirmPublisher,
  queueUnavailable,
  taskQueueNames,
  type ConfirmPublisher,
} from './rabbitmq-publisher.js';
import { encodeTask } from '../domain/task-codec.js';

export type { TaskConsumer, TaskHandler, TaskQueue } from '../services/ports/task-queue.js';
export { taskQueueNames } from './rabbitmq-publisher.js';

export interface TaskQueueOptions {
  /** `AMQP_URL`, e.g. `amqp://guest:guest@127.0.0.1:5672` (add `?heartbeat=10` to notice dead peers sooner). */
  url: string;
  /** `TASK_QUEUE`; `.retry`, `.dlx` and `.dead` are derived from it. */
  queue: string;
  /** `TASK_MAX_ATTEMPTS`: handler failures before a task goes to the DLQ. */
  maxAttempts: number;
  /** Unacked deliveries per consumer. Default 10. */
  prefetch?: number;
  logger: Logger;
  /** Reconnect backoff. Default 200 ms doubling to 15 s, with jitter. */
  reconnect?: { initialDelayMs: number; maxDelayMs: number };
  /** How long `publish` waits for the broker's confirm. Default 5000 ms. */
  confirmTimeoutMs?: number;
  /** TCP connect timeout per attempt. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** First retry delay; doubles per failure up to `maxRetryDelayMs`. Defaults 1000 ms and 60 000 ms. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Shown in the RabbitMQ management UI and `rabbitmqctl list_connections`. Default `hikeshi`. */
  connectionName?: string;
  /** Told about every message a consumer of this queue dead-letters (metrics). */
  onDeadLetter?: (why: DeadLetterKind) => void;
}

const noop = (): undefined => undefined;

export function createTaskQueue(options: TaskQueueOptions): TaskQueue {
  const log = options.logger.child({ component: 'task-queue', queue: options.queue });
  const names = taskQueueNames(options.queue);
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 5000;
  const consumers = new Set<AmqpConsumer>();
  let model: ChannelModel | null = null;
  let publisher: ConfirmPublisher | null = null;
  let blocked = false;
  let closing = false;

  let settleFirst: (connected: boolean) => void = noop;
  let firstSettled = false;
  const firstAttempt = new Promise<boolean>((resolve) => {
    settleFirst = (connected) => {
      if (firstSettled) return;
      firstSettled = true;
      resolve(connected);
    };
  });

  /** Any unexpected channel loss: close the connection and let recovery rebuild channels and consumers. */
  function recycle(m: ChannelModel): void {
    if (closing || model !== m) return;
    log.warn('A RabbitMQ channel closed unexpectedly; reconnecting');
    model = null;
    publisher = null;
    m.close().catch(noop);
  }

  const consumerContext = {
    names,
    settleTimeoutMs: confirmTimeoutMs,
    maxAttempts: options.maxAttempts,
    prefetch: options.prefetch ?? 10,
    retryDelayMs: options.retryDelayMs ?? 1000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
    publisher: () => publisher,
    onChannelLost: () => {
      if (model !== null) recycle(model);
    },
    onDeadLetter: options.onDeadLetter,
    logger: log,
  };

  async function setup(m: ChannelModel): Promise<void> {
    // amqplib 2.3's recovery listens for the model's 'error' only after `setup` has finished: a socket lost
    // during setup (a broker restarting while we reconnect) would emit an unhandled 'error' and crash the
    // process. Recovery still sees the close and reconnects; this listener only keeps the error handled.
    if (m.listenerCount('error') === 0) {
      m.on('error', (err: Error) => log.debug({ err: errorText(err) }, 'RabbitMQ connection error'));
    }
    try {
      const ch = await m.createConfirmChannel();
      ch.on('error', (err: Error) => log.warn({ err: errorText(err) }, 'Publisher channel error'));
      ch.on('close', () => {
        if (publisher?.channel === ch) recycle(m);
      });
      await assertTaskTopology(ch, names);
      model = m;
      publisher = createConfirmPublisher(ch, confirmTimeoutMs);
      for (const consumer of consumers) await consumer.attach(m);
    } catch (err) {
      model = null;
      publisher = null;
      log.error({ err: errorText(err) }, 'RabbitMQ setup failed (topology or channels); will retry');
      throw err;
    }
  }

  // amqplib is loaded with the first connection (the queue is built on first use): a process that never queues a
  // task (the ingress Lambda answering an alert) never loads it (docs/BENCHMARKS.md, B6).
  const recovering: Promise<RecoveringChannelModel> = import('./rabbitmq-client.js').then(({ connect }) =>
    connect(options.url, {
      timeout: options.connectTimeoutMs ?? 5000,
      // Small messages awaited one by one: without this, Nagle's algorithm adds tens of ms per confirm.
      noDelay: true,
      clientProperties: { connection_name: options.connectionName ?? 'hikeshi' },
      recovery: {
        initialDelay: options.reconnect?.initialDelayMs ?? 200,
        maxDelay: options.reconnect?.maxDelayMs ?? 15_000,
        // Resolve at once; the first attempt runs in the background and `ready()` reports it.
        waitForConnect: false,
        setup,
      },
    }),
  );

  void recovering.then((r) => {
    r.on('connect', () => {
      blocked = false;
      settleFirst(true);
      log.info('Connected to RabbitMQ');
    });
    r.on('connect-failed', (err: Error) => {
      settleFirst(false);
      log.warn({ err: errorText(err) }, 'Could not connect to RabbitMQ');
    });
    r.on('reconnect-scheduled', (info: { attempt: number; delay: number }) =>
      log.debug({ attempt: info.attempt, delayMs: info.delay }, 'RabbitMQ reconnect scheduled'),
    );
    r.on('disconnect', (err: Error) => {
      model = null;
      publisher = null;
      blocked = false;
      if (!closing) log.warn({ err: errorText(err) }, 'Lost the RabbitMQ connection; reconnecting');
    });
    r.on('blocked', (reason: string) => {
      blocked = true;
      log.warn({ reason }, 'RabbitMQ is blocking publishers');
    });
    r.on('unblocked', () => {
      blocked = false;
    });
    r.on('reconnect-failed', (err: Error) => log.error({ err: errorText(err) }, 'Gave up reconnecting'));
    r.on('error', (err: Error) => log.warn({ err: errorText(err) }, 'RabbitMQ connection error'));
  }, noop);

  return {
    async publish(task) {
      const body = encodeTask(task);
      if (closing) throw queueUnavailable('The task queue is closed');
      if (publisher === null && !firstSettled) await settlesWithin(firstAttempt, confirmTimeoutMs);
      const pub = publisher;
      if (pub === null) throw queueUnavailable('RabbitMQ is not connected');
      if (blocked) throw queueUnavailable('RabbitMQ is blocking publishers (resource alarm)');
      await pub.publish('', names.queue, body, {
        persistent: true,
        contentType: 'application/json',
        messageId: task.id,
        headers: { 'x-attempts': 0 },
      });
    },

    async consume(handler) {
      if (closing) throw queueUnavailable('The task queue is closed');
      const consumer = createAmqpConsumer(handler, consumerContext);
      consumers.add(consumer);
      const m = model;
      if (m !== null) {
        // When this fails the connection is recycled and `setup` attaches the consumer again.
        await consumer.attach(m).catch((err: unknown) => {
          log.warn({ err: errorText(err) }, 'Could not start consuming; reconnecting');
          recycle(m);
        });
      }
      return {
        async stop() {
          consumers.delete(consumer);
          await consumer.stop();
        },
      };
    },

    async close() {
      if (closing) return;
      closing = true;
      settleFirst(false);
      const m = model;
      await Promise.all([...consumers].map((c) => c.stop()));
      consumers.clear();
      publisher = null;
      model = null;
      const r = await recovering.catch(() => null);
      const closed = r === null ? Promise.resolve() : r.close().catch(noop);
      // A hung broker never answers connection.close; do not let shutdown hang with it.
      if (!(await settlesWithin(closed, confirmTimeoutMs)) && m !== null) {
        log.warn('RabbitMQ did not answer the close; dropping the socket');
        destroySocket(m);
      }
    },

    isConnected: () => publisher !== null && !closing,
    ready: () => firstAttempt,
  };
}

/** amqplib has no public way to drop a connection whose peer stopped answering; its socket is `connection.stream`. */
function destroySocket(m: ChannelModel): void {
  const stream: unknown = Reflect.get(m.connection, 'stream');
  // With an error, amqplib sees a socket failure and tears the connection down (timers included).
  if (stream instanceof Socket) stream.destroy(new Error('RabbitMQ did not answer the connection close'));
}
