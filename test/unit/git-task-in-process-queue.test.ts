/** The in-process task queue (`npm start` without a broker): same contract as the RabbitMQ one. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/domain/git-task.js';
import { AppError, ErrorCode } from '../../src/errors.js';
import {
  createInProcessTaskQueue,
  type InProcessTaskQueue,
} from '../../src/integrations/in-process-task-queue.js';
import { captureLogs } from '../helpers/log-capture.js';
import { waitFor } from '../helpers/rabbitmq.js';

function makeTask(i: number): Task {
  return {
    id: `gitlab:g/p#${i}:uuid-${i}`,
    source: 'gitlab',
    kind: 'issue',
    repo: 'g/p',
    number: i + 1,
    title: `Task ${i}`,
    body: '',
    url: `https://gitlab.example/g/p/-/issues/${i + 1}`,
    labels: ['coding agent'],
    author: 'root',
    received_at: '2026-01-01T00:00:00.000Z',
  };
}

let queue: InProcessTaskQueue | undefined;
afterEach(async () => {
  await queue?.close();
  queue = undefined;
});

function open(maxAttempts = 3, prefetch = 4): InProcessTaskQueue {
  queue = createInProcessTaskQueue({ maxAttempts, prefetch, logger: captureLogs().logger, retryDelayMs: 5 });
  return queue;
}

describe('createInProcessTaskQueue', () => {
  it('delivers every task once, respecting the prefetch limit, including tasks published before consume', async () => {
    const q = open(3, 4);
    expect(q.isConnected()).toBe(true);
    expect(await q.ready()).toBe(true);
    await q.publish(makeTask(0));
    const seen: string[] = [];
    let active = 0;
    let maxActive = 0;
    await q.consume(async (task) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.push(task.id);
      active -= 1;
    });
    await Promise.all(Array.from({ length: 49 }, (_, i) => q.publish(makeTask(i + 1))));
    await waitFor(() => seen.length === 50, 5000);
    expect(new Set(seen).size).toBe(50);
    expect(maxActive).toBeLessThanOrEqual(4);
  });

  it('skips a duplicate of a task already processed', async () => {
    const q = open();
    const seen: string[] = [];
    await q.consume(async (task) => {
      seen.push(task.id);
    });
    await q.publish(makeTask(1));
    await waitFor(() => seen.length === 1);
    await q.publish(makeTask(1));
    await q.publish(makeTask(2));
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([makeTask(1).id, makeTask(2).id]);
  });

  it('retries, then dead-letters after maxAttempts, while others flow', async () => {
    const q = open(3);
    let badAttempts = 0;
    const good: string[] = [];
    await q.consume(async (task) => {
      if (task.number === 1) {
        badAttempts += 1;
        throw new Error('boom');
      }
      good.push(task.id);
    });
    await Promise.all([0, 1, 2, 3].map((i) => q.publish(makeTask(i))));
    await waitFor(() => q.deadLetters().length === 1, 5000);
    expect(badAttempts).toBe(3);
    expect(good).toHaveLength(3);
    expect(q.deadLetters()[0]).toEqual({ task: makeTask(0), attempts: 3, error: 'boom' });
  });

  it('rejects invalid tasks and publishes after close', async () => {
    const q = open();
    await expect(q.publish({ ...makeTask(1), number: -1 })).rejects.toBeInstanceOf(AppError);
    await q.close();
    expect(q.isConnected()).toBe(false);
    await expect(q.publish(makeTask(1))).rejects.toMatchObject({ code: ErrorCode.QueueUnavailable });
  });
});
