/**
 * The broker's ceiling: raw amqplib confirmed publishes per second with `concurrency` in flight, each awaited
 * through its own confirm callback, to a durable queue of its own with persistent messages (what the task queue
 * does, without the app around it). Usage: `amqp-publish.ts <url> <concurrency> <seconds>`; the queue is
 * deleted at the end. Prints `{bench, rate, published}`.
 */
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { announce } from '../lib/process.js';

const [url = 'amqp://guest:guest@127.0.0.1:5672', concurrencyArg = '50', secondsArg = '5'] =
  process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const seconds = Number(secondsArg);
const queue = `hikeshi.bench.ceiling.${randomBytes(6).toString('hex')}`;
// About the size of a task message (issue title, URLs, labels).
const content = Buffer.from(JSON.stringify({ id: 'x'.repeat(40), body: 'y'.repeat(900) }));

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await channel.assertQueue(queue, { durable: true });

const publish = () =>
  new Promise<void>((resolve, reject) => {
    channel.sendToQueue(
      queue,
      content,
      { persistent: true, mandatory: true, contentType: 'application/json' },
      (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
  });

let published = 0;
let rate = 0;
try {
  await Promise.all(Array.from({ length: concurrency }, publish));
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await publish();
        published += 1;
      }
    }),
  );
  rate = published / ((performance.now() - started) / 1000);
} finally {
  await channel.deleteQueue(queue);
  await connection.close();
}
// Announced after the queue is gone: the parent may stop this process as soon as it reads the line.
announce({ rate, published });
