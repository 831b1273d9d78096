/**
 * Issue 5: a broker outage in the middle of a burst of webhooks loses nothing. The app reaches the real RabbitMQ
 * through a TCP proxy (test/helpers/rabbitmq.ts) that drops every connection, refuses new ones for a while, then
 * lets them through again: what a broker restart looks like from the app. Every 202 must reach Slack exactly
 * once; every 503 must succeed when the sender redelivers it (same X-GitHub-Delivery), and then reach Slack once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import {
  createBrokerProxy,
  deleteTaskTopology,
  uniqueQueueName,
  type BrokerProxy,
} from '../helpers/rabbitmq.js';
import {
  githubExample,
  postGitHub,
  renumbered,
  taskMessages,
  type SentWebhook,
} from '../helpers/webhooks.js';

const SECRET = 'outage-test-secret';
const queue = uniqueQueueName();
let proxy: BrokerProxy;
let h: TestHikeshi;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  proxy = await createBrokerProxy();
  h = await startHikeshi({
    env: { QUEUE: 'rabbitmq', AMQP_URL: proxy.url, TASK_QUEUE: queue, GITHUB_WEBHOOK_SECRET: SECRET },
    overrides: {
      taskQueue: {
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        confirmTimeoutMs: 1000,
        retryDelayMs: 20,
        maxRetryDelayMs: 100,
      },
      slackPacing: { minUpdateIntervalMs: 0, channelPostIntervalMs: 0 },
    },
  });
  expect(await h.app.tasks.queue.ready()).toBe(true);
});

afterAll(async () => {
  await h.close();
  await proxy.close();
  await deleteTaskTopology(queue);
});

it('loses nothing when the broker goes away mid-burst: every 202 reaches Slack once, every 503 succeeds on redelivery', async () => {
  const N = 40;
  const payloads = Array.from({ length: N }, (_, i) =>
    renumbered(githubExample('issues', 'labeled'), 1000 + i),
  );

  // The burst is spread over ~600 ms. Once the first responses are back, the broker disappears for ~300 ms,
  // with requests in flight, then comes back while the burst goes on.
  let answered = 0;
  let outage: Promise<void> | undefined;
  const first: SentWebhook[] = await Promise.all(
    payloads.map(async (payload, i) => {
      await sleep(i * 15);
      const sent = await postGitHub(h.baseUrl, SECRET, 'issues', payload);
      if (++answered === 8) {
        proxy.cut();
        outage = sleep(300).then(() => proxy.restore());
      }
      return sent;
    }),
  );
  await outage;

  const statuses = first.map((r) => r.status);
  expect(statuses.every((s) => s === 202 || s === 503)).toBe(true);
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  expect(statuses.filter((s) => s === 202).length).toBeGreaterThan(0);
  for (const r of first.filter((x) => x.status === 503)) expect(r.body['code']).toBe('QUEUE_UNAVAILABLE');

  // The senders redeliver every 503 (same delivery id) until it is accepted: each is new, never a duplicate.
  await Promise.all(
    first.map(async (r, i) => {
      let status = r.status;
      for (let attempt = 0; status === 503 && attempt < 100; attempt++) {
        await sleep(50);
        const again = await postGitHub(h.baseUrl, SECRET, 'issues', payloads[i], { delivery: r.delivery });
        expect(again.body['duplicate']).toBeUndefined();
        status = again.status;
      }
      expect(status).toBe(202);
    }),
  );

  await expect.poll(() => taskMessages(h.emulator).length, { timeout: 15_000 }).toBe(N);
  await sleep(300); // anything redelivered after the reconnect has had time to (not) show up twice
  const perItem = new Map<string, number>();
  for (const m of taskMessages(h.emulator)) {
    const item = /Hello-World#(\d+):/.exec(m.text)?.[1] ?? m.text;
    perItem.set(item, (perItem.get(item) ?? 0) + 1);
  }
  expect(perItem.size).toBe(N);
  expect([...perItem.values()].every((n) => n === 1)).toBe(true);
}, 30_000);
