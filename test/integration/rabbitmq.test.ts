/**
 * The RabbitMQ task queue against the real broker (127.0.0.1:5672, or AMQP_URL). Every test uses its own queue
 * `hikeshi.test.<random>` and deletes it (with `.retry`, `.dead`, `.dlx`) afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/domain/git-task.js';
import { ErrorCode, isAppError } from '../../src/errors.js';
import { createTaskQueue, type TaskQueueOptions } from '../../src/integrations/rabbitmq.js';
import type { TaskQueue } from '../../src/services/ports/task-queue.js';
import { captureLogs } from '../helpers/log-capture.js';
import {
  AMQP_TEST_URL,
  closeConnections,
  connectionPids,
  createBrokerProxy,
  deleteTaskTopology,
  drainQueue,
  messageCount,
  publishRaw,
  restartBrokerApp,
  uniqueQueueName,
  waitFor,
  type BrokerProxy,
} from '../helpers/rabbitmq.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeTask(i: number, prefix = 'github:acme/app'): Task {
  return {
    id: `${prefix}#${i}:delivery-${i}`,
    source: 'github',
    kind: i % 2 === 0 ? 'issue' : 'merge_request',
    repo: 'acme/app',
    number: i + 1,
    title: `Task ${i}`,
    body: 'Please fix ✓',
    url: `https://github.com/acme/app/issues/${i + 1}`,
    labels: ['coding agent'],
    author: 'octocat',
    received_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toISOString(),
  };
}

const queues: TaskQueue[] = [];
const queueNames: string[] = [];
const proxies: BrokerProxy[] = [];

afterEach(async () => {
  // allSettled: one failing cleanup must not leave the other queues behind on the shared broker.
  await Promise.allSettled(queues.splice(0).map((q) => q.close()));
  await Promise.allSettled(proxies.splice(0).map((p) => p.close()));
  await Promise.allSettled(queueNames.splice(0).map((name) => deleteTaskTopology(name)));
});

function open(overrides: Partial<TaskQueueOptions> = {}): {
  queue: TaskQueue;
  name: string;
  logs: ReturnType<typeof captureLogs>;
} {
  const name = overrides.queue ?? uniqueQueueName();
  if (!queueNames.includes(name)) queueNames.push(name);
  const logs = captureLogs();
  const queue = createTaskQueue({
    url: AMQP_TEST_URL,
    queue: name,
    maxAttempts: 3,
    logger: logs.logger,
    retryDelayMs: 20,
    maxRetryDelayMs: 100,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    connectionName: `hikeshi-test-${name}`,
    ...overrides,
  });
  queues.push(queue);
  return { queue, name, logs };
}

function counter() {
  const seen = new Map<string, number>();
  return {
    seen,
    record(task: Task) {
      seen.set(task.id, (seen.get(task.id) ?? 0) + 1);
    },
    duplicates: () => [...seen].filter(([, n]) => n !== 1),
  };
}

describe('RabbitMQ task queue', () => {
  it('publishes a persistent JSON message with confirms and round-trips it to a consumer', async () => {
    const { queue, name } = open();
    expect(await queue.ready()).toBe(true);
    expect(queue.isConnected()).toBe(true);

    const task = makeTask(1);
    await queue.publish(task);
    const [raw] = await drainQueue(name);
    expect(raw).toMatchObject({ messageId: task.id, contentType: 'application/json', deliveryMode: 2 });
    expect(JSON.parse(raw?.content ?? '')).toEqual(task);

    const received: Task[] = [];
    const consumer = await queue.consume(async (t) => {
      received.push(t);
    });
    await queue.publish(task);
    await waitFor(() => received.length === 1, 5000, 'the round trip');
    expect(received[0]).toEqual(task);
    await consumer.stop();
    expect(await messageCount(name)).toBe(0);
  });

  it('consumes 200 concurrently published tasks exactly once each', async () => {
    const { queue, name } = open({ prefetch: 20 });
    const count = counter();
    await queue.consume(async (task) => {
      count.record(task);
      await sleep(Math.random() * 3);
    });
    const tasks = Array.from({ length: 200 }, (_, i) => makeTask(i));
    await Promise.all(tasks.map((t) => queue.publish(t)));
    await waitFor(() => count.seen.size === 200, 10_000, '200 tasks');
    await sleep(200);
    expect(count.duplicates()).toEqual([]);
    expect(await messageCount(name)).toBe(0);
  });

  it('retries a failing task, dead-letters it after maxAttempts, and lets the others flow', async () => {
    const { queue, name } = open({ maxAttempts: 3 });
    const bad = makeTask(999, 'github:acme/bad');
    const attempts: number[] = [];
    const count = counter();
    await queue.consume(async (task) => {
      if (task.id === bad.id) {
        attempts.push(Date.now());
        throw new Error('Slack said no');
      }
      count.record(task);
    });
    await queue.publish(bad);
    await Promise.all(Array.from({ length: 30 }, (_, i) => queue.publish(makeTask(i))));

    await waitFor(async () => (await messageCount(`${name}.dead`)) === 1, 10_000, 'the dead letter');
    await waitFor(() => count.seen.size === 30, 5000, 'the other tasks');
    expect(attempts).toHaveLength(3);
    expect(count.duplicates()).toEqual([]);

    const [dead] = await drainQueue(`${name}.dead`);
    expect(JSON.parse(dead?.content ?? '')).toEqual(bad);
    expect(dead?.messageId).toBe(bad.id);
    expect(dead?.headers['x-attempts']).toBe(3);
    expect(dead?.headers['x-error']).toBe('failed 3 times: Slack said no');
    expect(await messageCount(name)).toBe(0);
    expect(await messageCount(`${name}.retry`)).toBe(0);
  });

  it('sends poison messages (not JSON, not a task) to the DLQ at once without blocking others', async () => {
    const { queue, name, logs } = open({ prefetch: 1 });
    expect(await queue.ready()).toBe(true);
    const count = counter();
    await queue.consume(async (task) => {
      count.record(task);
    });
    await publishRaw(name, Buffer.from('{"not json'));
    await publishRaw(name, Buffer.from(JSON.stringify({ id: 'x', source: 'svn' })), {
      messageId: 'bad-shape',
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.publish(makeTask(i))));

    await waitFor(() => count.seen.size === 10, 5000, 'the valid tasks');
    await waitFor(async () => (await messageCount(`${name}.dead`)) === 2, 5000, 'two dead letters');
    const dead = await drainQueue(`${name}.dead`);
    expect(dead.map((d) => d.content)).toEqual(['{"not json', '{"id":"x","source":"svn"}']);
    expect(dead[0]?.headers['x-error']).toMatch(/^poison message: not JSON/);
    expect(dead[1]?.headers['x-error']).toMatch(/^poison message: not a task/);
    expect(dead[1]?.headers['x-attempts']).toBe(0);
    expect(logs.entries().filter((e) => e.msg === 'Dead-lettering a poison message')).toHaveLength(2);
  });

  it('rejects quickly with QUEUE_UNAVAILABLE when the broker is unreachable', async () => {
    const { queue } = open({ url: 'amqp://guest:guest@127.0.0.1:1' });
    const started = Date.now();
    const error: unknown = await queue.publish(makeTask(1)).catch((err: unknown) => err);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(isAppError(error) && error.code).toBe(ErrorCode.QueueUnavailable);
    expect(isAppError(error) && error.status).toBe(503);
    expect(await queue.ready()).toBe(false);
    expect(queue.isConnected()).toBe(false);
  });

  it('rejects with QUEUE_UNAVAILABLE when a hung broker does not confirm in time', async () => {
    const proxy = await createBrokerProxy();
    proxies.push(proxy);
    const { queue } = open({ url: proxy.url, confirmTimeoutMs: 300 });
    expect(await queue.ready()).toBe(true);
    proxy.blackhole();
    const started = Date.now();
    await expect(queue.publish(makeTask(1))).rejects.toMatchObject({ code: ErrorCode.QueueUnavailable });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1500);
    // close() does not hang on a broker that never answers connection.close either.
    const closing = Date.now();
    await queue.close();
    expect(Date.now() - closing).toBeLessThan(1000);
  });
});

/**
 * A burst of publishes (10 every `pauseMs`) with a disruption after the 100th. Every publish either resolves (then its task is
 * consumed exactly once) or rejects with QUEUE_UNAVAILABLE (then it is republished after recovery and consumed
 * exactly once). Nothing else is acceptable.
 */
async function burstAcross(
  queue: TaskQueue,
  name: string,
  disrupt: () => Promise<void>,
  pace = { tasks: 300, pauseMs: 10 },
): Promise<{ resolved: number; rejected: number; slowestRejectionMs: number }> {
  expect(await queue.ready()).toBe(true);
  const count = counter();
  await queue.consume(async (task) => {
    count.record(task);
    await sleep(Math.random() * 4);
  });
  const tasks = Array.from({ length: pace.tasks }, (_, i) => makeTask(i));
  const outcomes: Promise<{ ok: boolean; ms: number }>[] = [];
  let disruption: Promise<void> = Promise.resolve();
  for (const [i, task] of tasks.entries()) {
    const started = Date.now();
    outcomes.push(
      queue.publish(task).then(
        () => ({ ok: true, ms: Date.now() - started }),
        (err: unknown) => {
          if (!isAppError(err) || err.code !== ErrorCode.QueueUnavailable) throw err;
          return { ok: false, ms: Date.now() - started };
        },
      ),
    );
    if (i === 100) disruption = disrupt();
    if (i % 10 === 9) await sleep(pace.pauseMs);
  }
  const results = await Promise.all(outcomes);
  await disruption;
  await waitFor(() => queue.isConnected(), 15_000, 'the reconnect');

  const rejected = tasks.filter((_, i) => results[i]?.ok === false);
  for (const task of rejected) await queue.publish(task);
  await waitFor(() => count.seen.size === tasks.length, 15_000, 'every task');
  await sleep(300);
  expect(count.duplicates()).toEqual([]);
  expect(await messageCount(`${name}.dead`)).toBe(0);
  await waitFor(async () => (await messageCount(name)) === 0, 5000, 'an empty queue');
  const rejectedMs = results.filter((r) => !r.ok).map((r) => r.ms);
  return {
    resolved: results.length - rejected.length,
    rejected: rejected.length,
    slowestRejectionMs: Math.max(0, ...rejectedMs),
  };
}

describe('RabbitMQ task queue across broker outages', () => {
  it('loses nothing when the broker connection drops mid-burst (TCP cut, 500 ms outage)', async () => {
    const proxy = await createBrokerProxy();
    proxies.push(proxy);
    const { queue, name } = open({ url: proxy.url, prefetch: 10 });
    const stats = await burstAcross(queue, name, async () => {
      proxy.cut();
      await sleep(500);
      proxy.restore();
    });
    console.info('TCP cut:', stats);
    expect(stats.rejected).toBeGreaterThan(0);
    expect(stats.resolved).toBeGreaterThan(0);
    // During the outage publishes fail fast instead of waiting for the confirm timeout.
    expect(stats.slowestRejectionMs).toBeLessThan(1000);
  }, 30_000);

  it('loses nothing when the broker force-closes the connection mid-burst (rabbitmqctl close_connection)', async () => {
    const { queue, name } = open();
    expect(await queue.ready()).toBe(true);
    // rabbitmqctl takes ~0.5 s to list and ~0.8 s to close, so look the connection up before the burst and
    // stretch the burst (600 publishes over ~3 s) so the close lands in the middle of it.
    const pids = await connectionPids(`hikeshi-test-${name}`);
    expect(pids).toHaveLength(1);
    const stats = await burstAcross(queue, name, () => closeConnections(pids), { tasks: 600, pauseMs: 50 });
    console.info('close_connection:', stats);
    expect(stats.rejected + stats.resolved).toBe(600);
  }, 30_000);

  it.runIf(process.env.HIKESHI_TEST_BROKER_RESTART === '1')(
    'loses nothing across a real rabbitmqctl stop_app / start_app (disconnects everyone; opt-in)',
    async () => {
      const { queue, name } = open();
      // stop_app takes ~0.8 s to act, start_app ~1.3 s: stretch the burst over ~3 s as above.
      const stats = await burstAcross(queue, name, restartBrokerApp, { tasks: 600, pauseMs: 50 });
      console.info('stop_app/start_app:', stats);
      expect(stats.rejected).toBeGreaterThan(0);
    },
    60_000,
  );
});
