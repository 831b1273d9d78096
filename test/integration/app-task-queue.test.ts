/**
 * Which task queue the app uses (src/integrations/app-task-queue.ts): RabbitMQ when reachable; with QUEUE unset
 * and the broker unreachable, `npm start` says so and uses the in-process queue; QUEUE=rabbitmq never falls back.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/domain/git-task.js';
import { createAppTaskQueue, type AppTaskQueue } from '../../src/integrations/app-task-queue.js';
import { captureLogs } from '../helpers/log-capture.js';
import { AMQP_TEST_URL, deleteTaskTopology, uniqueQueueName } from '../helpers/rabbitmq.js';

const task: Task = {
  id: 'github:a/b#1:d',
  source: 'github',
  kind: 'issue',
  repo: 'a/b',
  number: 1,
  title: 't',
  body: '',
  url: 'https://github.com/a/b/issues/1',
  labels: ['coding agent'],
  author: 'me',
  received_at: '2026-01-01T00:00:00.000Z',
};

/** An AMQP URL nobody listens on (a port we bound and released). */
async function deadUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `amqp://guest:secret-password@127.0.0.1:${port}`;
}

const opened: AppTaskQueue[] = [];
const names: string[] = [];
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((q) => q.close()));
  await Promise.allSettled(names.splice(0).map((n) => deleteTaskTopology(n)));
});

function open(mode: 'rabbitmq' | 'memory' | undefined, url: string, fallbackToMemory: boolean) {
  const logs = captureLogs();
  const queue = uniqueQueueName();
  names.push(queue);
  const q = createAppTaskQueue({
    mode,
    fallbackToMemory,
    rabbitmq: {
      url,
      queue,
      maxAttempts: 3,
      reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
      confirmTimeoutMs: 500,
    },
    logger: logs.logger,
  });
  opened.push(q);
  return { q, logs };
}

describe('createAppTaskQueue', () => {
  it('uses RabbitMQ when it is reachable, connecting only on first use', async () => {
    const { q } = open(undefined, AMQP_TEST_URL, true);
    expect(q.kind()).toBeUndefined();
    expect(await q.ready()).toBe(true);
    expect(q.kind()).toBe('rabbitmq');
    await q.publish(task);
  });

  it('falls back to the in-process queue when the broker is unreachable and QUEUE is unset, and says so', async () => {
    const { q, logs } = open(undefined, await deadUrl(), true);
    const got: Task[] = [];
    await q.consume(async (t) => {
      got.push(t);
    });
    expect(q.kind()).toBe('memory');
    await q.publish(task);
    await expect.poll(() => got.length).toBe(1);
    expect(logs.text()).toContain('RabbitMQ is not reachable: using an in-process task queue');
    expect(logs.text()).not.toContain('secret-password');
  });

  it('never falls back with QUEUE=rabbitmq (or outside npm start): publishing answers 503 instead', async () => {
    for (const [mode, fallback] of [
      ['rabbitmq', true],
      [undefined, false],
    ] as const) {
      const { q } = open(mode, await deadUrl(), fallback);
      await expect(q.publish(task)).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE', status: 503 });
      expect(q.kind()).toBe('rabbitmq');
    }
  });

  it('uses the in-process queue with QUEUE=memory, and refuses work once closed', async () => {
    const { q } = open('memory', 'amqp://unused', false);
    await q.publish(task);
    expect(q.kind()).toBe('memory');
    await q.close();
    await expect(q.publish(task)).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
  });
});
