/**
 * RabbitMQ topology and confirmed publishing for the task queue (issue 5).
 *
 * Topology, asserted on every (re)connect:
 *
 *   publish ──▶ <queue>  (durable; x-dead-letter-exchange = <queue>.dlx)
 *                 │  consumer: handler fails, attempt < maxAttempts
 *                 ▼
 *               <queue>.retry  (durable, no consumer; per-message `expiration` = backoff delay;
 *                 │             x-dead-letter-exchange = '' and x-dead-letter-routing-key = <queue>)
 *                 └──────────── expires ──▶ back to <queue>
 *
 *               <queue>.dlx (fanout) ──▶ <queue>.dead  (durable DLQ, for people to inspect)
 *
 * Attempts are counted in our own header `x-attempts` (how many times a handler has failed), carried on the
 * copy the consumer republishes to `<queue>.retry`; RabbitMQ keeps headers when it dead-letters the expired
 * copy back. A task that fails `maxAttempts` times, and a poison message (not JSON / not a task), is published
 * to `<queue>.dlx` with `x-error` saying why (falling back to `nack(requeue=false)`, which dead-letters it too).
 * Note: RabbitMQ only expires messages at the head of a queue, so a long backoff at the head of `.retry` holds
 * back shorter ones behind it; with exponential backoff capped at `maxRetryDelayMs` that only delays retries.
 * https://www.rabbitmq.com/docs/ttl#per-message-ttl-caveats
 */
import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, Options } from 'amqplib';
import { AppError, ErrorCode } from '../errors.js';

export interface TaskQueueNames {
  queue: string;
  retry: string;
  dlx: string;
  dead: string;
}

export function taskQueueNames(queue: string): TaskQueueNames {
  return { queue, retry: `${queue}.retry`, dlx: `${queue}.dlx`, dead: `${queue}.dead` };
}

/**
 * Declares the queues and exchange. Idempotent; a queue that already exists with other arguments makes the
 * broker close the channel with PRECONDITION_FAILED (406), which surfaces as a failed (re)connect in the log.
 */
export async function assertTaskTopology(ch: ConfirmChannel, names: TaskQueueNames): Promise<void> {
  await ch.assertExchange(names.dlx, 'fanout', { durable: true });
  await ch.assertQueue(names.dead, { durable: true });
  await ch.bindQueue(names.dead, names.dlx, '');
  await ch.assertQueue(names.queue, { durable: true, arguments: { 'x-dead-letter-exchange': names.dlx } });
  await ch.assertQueue(names.retry, {
    durable: true,
    arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.queue },
  });
}

export function queueUnavailable(message: string, cause?: unknown): AppError {
  return new AppError(ErrorCode.QueueUnavailable, message, {
    userMessage: 'The task queue is unavailable; please retry',
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A confirm channel wrapper: resolves when the broker confirms, rejects with QueueUnavailable otherwise. */
export interface ConfirmPublisher {
  readonly channel: ConfirmChannel;
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void>;
}

const PUBLISH_ID = 'x-publish-id';

export function createConfirmPublisher(channel: ConfirmChannel, confirmTimeoutMs: number): ConfirmPublisher {
  // `mandatory` makes the broker return a message no queue took (our queue was deleted under us) before it
  // acks it; an ack alone would look like success for a message that went nowhere.
  const returned = new Set<string>();
  channel.on('return', (msg: { properties: { headers?: Record<string, unknown> } }) => {
    const id = msg.properties.headers?.[PUBLISH_ID];
    if (typeof id === 'string') returned.add(id);
  });

  return {
    channel,
    publish(exchange, routingKey, content, options) {
      const publishId = randomUUID();
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          returned.delete(publishId);
          reject(queueUnavailable(`RabbitMQ did not confirm within ${confirmTimeoutMs} ms`));
        }, confirmTimeoutMs);
        timer.unref();
        try {
          channel.publish(
            exchange,
            routingKey,
            content,
            { ...options, mandatory: true, headers: { ...options.headers, [PUBLISH_ID]: publishId } },
            (err: unknown) => {
              clearTimeout(timer);
              const wasReturned = returned.delete(publishId);
              if (settled) return;
              settled = true;
              if (err) reject(queueUnavailable('RabbitMQ did not accept the message', err));
              else if (wasReturned) reject(queueUnavailable(`RabbitMQ could not route to ${routingKey}`));
              else resolve();
            },
          );
        } catch (err) {
          // amqplib throws synchronously on a closed channel.
          clearTimeout(timer);
          settled = true;
          reject(queueUnavailable('RabbitMQ channel is closed', err));
        }
      });
    },
  };
}
