/**
 * The RabbitMQ task consumer: manual ack, a prefetch limit, retries through `<queue>.retry` and dead-lettering
 * (see rabbitmq-publisher.ts for the topology).
 *
 * Delivery is at least once: a connection lost between the handler finishing and the ack reaching the broker
 * redelivers the message. The consumer remembers the ids it completed recently (and waits for a handler still
 * running on the same id) so, within one process, a task reaches the handler once; across processes the task
 * service's idempotency check by task id does the same job.
 */
import type { Channel, ChannelModel, ConsumeMessage, Options } from 'amqplib';
import type { Logger } from '../logger.js';
import type { DeadLetterKind, TaskHandler } from '../services/ports/task-queue.js';
import { queueUnavailable, type ConfirmPublisher, type TaskQueueNames } from './rabbitmq-publisher.js';
import { decodeTask } from '../domain/task-codec.js';

export const ATTEMPTS_HEADER = 'x-attempts';
export const ERROR_HEADER = 'x-error';

/** A bounded set of recently completed task ids (insertion order eviction). */
export function createRecentIds(limit = 10_000): { has(id: string): boolean; add(id: string): void } {
  const ids = new Set<string>();
  return {
    has: (id) => ids.has(id),
    add(id) {
      ids.delete(id);
      ids.add(id);
      if (ids.size > limit) {
        const oldest = ids.values().next();
        if (oldest.done !== true) ids.delete(oldest.value);
      }
    },
  };
}

export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export function retryDelayFor(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/** Waits for `promise` at most `ms`; true when it settled in time. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = promise.then(
    () => true as const,
    () => true as const,
  );
  const result = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return result;
}

export interface ConsumerContext {
  names: TaskQueueNames;
  /** Bound on broker round trips during stop (cancel, close), so a hung broker cannot hang shutdown. */
  settleTimeoutMs: number;
  maxAttempts: number;
  prefetch: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** The current confirm publisher, or null while disconnected. */
  publisher(): ConfirmPublisher | null;
  /** Called when this consumer's channel closes unexpectedly (the queue recycles the connection). */
  onChannelLost(): void;
  /** Told about every message this consumer dead-letters (metrics). */
  onDeadLetter?: ((why: DeadLetterKind) => void) | undefined;
  logger: Logger;
}

export interface AmqpConsumer {
  /** Opens a channel on `model` and starts consuming; a no-op if already attached to that model. */
  attach(model: ChannelModel): Promise<void>;
  /** Cancels the subscription, lets running handlers finish (and ack), closes the channel. */
  stop(): Promise<void>;
}

function readAttempts(msg: ConsumeMessage): number {
  const value: unknown = msg.properties.headers?.[ATTEMPTS_HEADER];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** The properties a copy (retry or dead letter) keeps. */
function copyProperties(msg: ConsumeMessage, headers: Record<string, unknown>): Options.Publish {
  const props = msg.properties;
  return {
    persistent: true,
    contentType: typeof props.contentType === 'string' ? props.contentType : 'application/json',
    ...(typeof props.messageId === 'string' ? { messageId: props.messageId } : {}),
    headers: { ...props.headers, ...headers },
  };
}

export function createAmqpConsumer(handler: TaskHandler, ctx: ConsumerContext): AmqpConsumer {
  const log = ctx.logger;
  let channel: Channel | null = null;
  let consumerTag: string | null = null;
  let attachedTo: ChannelModel | null = null;
  let stopped = false;
  const running = new Set<Promise<void>>();
  const inFlight = new Map<string, Promise<unknown>>();
  const completed = createRecentIds();
  const requeueTimers = new Set<NodeJS.Timeout>();

  // amqplib throws on a closed channel; the broker then redelivers the message, which is what we want.
  function settle(ch: Channel, msg: ConsumeMessage, how: 'ack' | 'reject' | 'requeue'): void {
    try {
      if (how === 'ack') ch.ack(msg);
      else ch.nack(msg, false, how === 'requeue');
    } catch (err) {
      log.debug({ err, how }, 'Could not settle a delivery; the broker will redeliver it');
    }
  }

  async function deadLetter(
    ch: Channel,
    msg: ConsumeMessage,
    reason: string,
    attempts: number,
    why: DeadLetterKind,
  ): Promise<void> {
    ctx.onDeadLetter?.(why);
    const pub = ctx.publisher();
    try {
      if (pub === null) throw queueUnavailable('RabbitMQ is not connected');
      await pub.publish(
        ctx.names.dlx,
        ctx.names.queue,
        msg.content,
        copyProperties(msg, { [ATTEMPTS_HEADER]: attempts, [ERROR_HEADER]: reason }),
      );
      settle(ch, msg, 'ack');
    } catch {
      // The queue's own x-dead-letter-exchange still delivers it to the DLQ, only without our reason.
      settle(ch, msg, 'reject');
    }
  }

  async function scheduleRetry(ch: Channel, msg: ConsumeMessage, failures: number, reason: string) {
    const delay = retryDelayFor(failures, ctx.retryDelayMs, ctx.maxRetryDelayMs);
    const pub = ctx.publisher();
    try {
      if (pub === null) throw queueUnavailable('RabbitMQ is not connected');
      await pub.publish(
        '',
        ctx.names.retry,
        msg.content,
        // `expiration` is per message; see the head-of-line note in rabbitmq-publisher.ts.
        {
          ...copyProperties(msg, { [ATTEMPTS_HEADER]: failures, [ERROR_HEADER]: reason }),
          expiration: String(delay),
        },
      );
      settle(ch, msg, 'ack');
    } catch (err) {
      // Could not park it for later: give it back after the same delay (not at once, to avoid a hot loop).
      log.warn({ err: errorText(err), delayMs: delay }, 'Could not schedule a task retry; requeueing it');
      const timer = setTimeout(() => {
        requeueTimers.delete(timer);
        settle(ch, msg, 'requeue');
      }, delay);
      requeueTimers.add(timer);
    }
  }

  async function handleDelivery(ch: Channel, msg: ConsumeMessage): Promise<void> {
    const attempts = readAttempts(msg);
    const decoded = decodeTask(msg.content);
    if ('error' in decoded) {
      const reason = `poison message: ${decoded.error}`;
      log.error(
        { messageId: msg.properties.messageId as unknown, reason },
        'Dead-lettering a poison message',
      );
      await deadLetter(ch, msg, reason, attempts, 'poison');
      return;
    }
    const task = decoded.task;
    const earlier = inFlight.get(task.id);
    if (earlier !== undefined) await earlier;
    if (completed.has(task.id)) {
      log.debug({ taskId: task.id }, 'Task already processed; acking the duplicate');
      settle(ch, msg, 'ack');
      return;
    }

    const run: Promise<{ ok: true } | { ok: false; error: unknown }> = handler(task).then(
      () => {
        completed.add(task.id);
        return { ok: true };
      },
      (error: unknown) => ({ ok: false, error }),
    );
    inFlight.set(task.id, run);
    const outcome = await run;
    if (inFlight.get(task.id) === run) inFlight.delete(task.id);

    if (outcome.ok) {
      settle(ch, msg, 'ack');
      return;
    }
    const reason = errorText(outcome.error);
    const failures = attempts + 1;
    if (failures >= ctx.maxAttempts) {
      log.error({ taskId: task.id, attempts: failures, reason }, 'Task failed too often; dead-lettering it');
      await deadLetter(ch, msg, `failed ${failures} times: ${reason}`, failures, 'failed');
      return;
    }
    log.warn(
      { taskId: task.id, attempt: failures, maxAttempts: ctx.maxAttempts, reason },
      'Task failed; will retry',
    );
    await scheduleRetry(ch, msg, failures, reason);
  }

  function track(work: Promise<void>): void {
    const p = work.catch((err: unknown) => log.error({ err }, 'Unexpected error handling a delivery'));
    running.add(p);
    void p.finally(() => running.delete(p));
  }

  return {
    async attach(model) {
      if (stopped || attachedTo === model) return;
      attachedTo = model;
      try {
        const ch = await model.createChannel();
        ch.on('error', (err: Error) => log.warn({ err: errorText(err) }, 'Consumer channel error'));
        ch.on('close', () => {
          if (channel !== ch) return;
          channel = null;
          consumerTag = null;
          attachedTo = null;
          if (!stopped) ctx.onChannelLost();
        });
        await ch.prefetch(ctx.prefetch);
        channel = ch;
        const ok = await ch.consume(
          ctx.names.queue,
          (msg) => {
            if (msg === null) {
              // The broker cancelled us (queue deleted): drop the channel so the connection is rebuilt.
              log.warn('RabbitMQ cancelled the task consumer');
              void ch.close().catch(() => undefined);
              return;
            }
            track(handleDelivery(ch, msg));
          },
          { noAck: false },
        );
        consumerTag = ok.consumerTag;
        log.info({ prefetch: ctx.prefetch }, 'Consuming tasks');
      } catch (err) {
        attachedTo = null;
        throw err;
      }
    },

    async stop() {
      stopped = true;
      const ch = channel;
      const tag = consumerTag;
      channel = null;
      consumerTag = null;
      if (ch !== null && tag !== null) await settlesWithin(ch.cancel(tag), ctx.settleTimeoutMs);
      await Promise.allSettled([...running]);
      for (const timer of requeueTimers) clearTimeout(timer);
      requeueTimers.clear();
      // Closing the channel returns anything still unacked (e.g. waiting for a requeue) to the queue.
      if (ch !== null) await settlesWithin(ch.close(), ctx.settleTimeoutMs);
    },
  };
}
