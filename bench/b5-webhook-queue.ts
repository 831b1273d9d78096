/**
 * B5: `POST /webhook/github` verified (HMAC over the raw body), deduplicated (two durable claims: the delivery and
 * the item) and confirmed into RabbitMQ: req/s at 50 connections and p99 at 10, compared with the lower of two
 * ceilings measured in this run (raw amqplib confirmed publishes, raw dynalite conditional puts). Every request is
 * a new `issues.labeled` delivery for a new issue, so every one must become exactly one message in the queue: the
 * queue's message count is checked against the 202s, then the queue and its siblings are deleted.
 */
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { brokerCeiling, storeCeiling, storeLatencyFloor } from './lib/ceilings.js';
import { subDir, withProcesses, type BenchContext } from './lib/context.js';
import { GITHUB_SECRET, TASK_LABEL, startEmulator, startHikeshi } from './lib/hikeshi.js';
import { loadErrors, runLoad } from './lib/load.js';
import type { LoadResult } from './lib/load-spec.js';
import { figure, Recorder, type BenchResult } from './lib/results.js';

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The delivery's claim, then the item's, one after the other; the broker's confirm comes on top. */
const STORE_TRIPS_IN_A_ROW = 2;

export async function runB5(ctx: BenchContext): Promise<BenchResult> {
  const rec = new Recorder('B5', 'GitHub webhook → verified, deduplicated, confirmed into RabbitMQ');
  const broker = await brokerCeiling(ctx, AMQP_URL);
  const store = await storeCeiling(ctx);
  rec.add(figure('B5.ceiling.broker', broker.label, 'msg/s', broker.runs));
  rec.add(figure('B5.ceiling.store', store.label, 'ops/s', store.runs));
  const floor = await storeLatencyFloor(ctx, STORE_TRIPS_IN_A_ROW);
  rec.add(figure(`B5.floor.store-${STORE_TRIPS_IN_A_ROW}`, floor.label, 'ms', floor.runs));
  const lower = broker.median <= store.median ? broker : store;
  const queue = `hikeshi.bench.${randomBytes(6).toString('hex')}`;
  const logDir = subDir(ctx, 'b5');
  const rps: number[] = [];
  const p50: number[] = [];
  const p99: number[] = [];
  let answered = 0;
  let inFlightAtEnd = 0;
  try {
    await withProcesses(async (track) => {
      const emulator = track(await startEmulator(logDir));
      const app = track(
        await startHikeshi({
          logDir,
          emulator: emulator.info,
          entry: 'bench/servers/ingress-only.ts',
          env: { QUEUE: 'rabbitmq', TASK_QUEUE: queue, AMQP_URL, TASK_LABEL },
        }),
      );
      const load = async (connections: number, duration: number): Promise<LoadResult> => {
        const r = await runLoad(logDir, {
          url: `${app.url}/webhook/github`,
          body: { kind: 'github-issue', secret: GITHUB_SECRET, label: TASK_LABEL, prefix: 'b5' },
          connections,
          duration,
        });
        rec.error(...loadErrors(`B5 ${connections} connections`, r));
        answered += r.ok2xx;
        inFlightAtEnd += connections;
        return r;
      };
      await load(50, 2);
      for (let i = 0; i < ctx.runs; i += 1) rps.push((await load(50, ctx.seconds)).rps);
      for (let i = 0; i < ctx.runs; i += 1) {
        const r = await load(10, ctx.seconds);
        p50.push(r.p50);
        p99.push(r.p99);
      }
    }, rec.errors);
    // A timed run ends with requests in flight: the queue may hold up to one more message per connection.
    const queued = await messageCount(queue);
    if (queued < answered || queued > answered + inFlightAtEnd) {
      rec.error(`B5: ${answered} webhooks answered 202 but the queue holds ${queued} messages`);
    }
    rec.note(`${answered} webhooks answered 202; the queue held ${queued} messages (no consumer ran).`);
  } finally {
    await deleteTopology(queue).catch((error: unknown) =>
      rec.error(`B5: could not delete ${queue}: ${String(error)}`),
    );
  }
  ctx.log(`B5: ${rps.map((r) => r.toFixed(0)).join(', ')} req/s; p99 ${p99.join(', ')} ms`);
  rec.add(
    figure('B5.rps', 'POST /webhook/github req/s, 50 connections', 'req/s', rps, {
      comparison: { label: `lower ceiling (${lower === broker ? 'broker' : 'store'})`, value: lower.median },
      goal: (_m, ratio) => ({ text: '≥ 0.5 × lower ceiling', met: (ratio ?? 0) >= 0.5 }),
    }),
  );
  rec.add(figure('B5.p50', 'POST /webhook/github p50, 10 connections', 'ms', p50));
  rec.add(
    figure('B5.p99', 'POST /webhook/github p99, 10 connections', 'ms', p99, {
      comparison: { label: `store p99, ${STORE_TRIPS_IN_A_ROW} puts in a row`, value: floor.median },
      goal: (m) => ({ text: '≤ 25 ms', met: m <= 25 }),
    }),
  );
  return rec.result();
}

async function withChannel<T>(fn: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(AMQP_URL);
  try {
    return await fn(await connection.createChannel());
  } finally {
    await connection.close().catch(() => undefined);
  }
}

const messageCount = (queue: string) => withChannel(async (ch) => (await ch.checkQueue(queue)).messageCount);

/** The task queue, its retry and dead-letter queues and the dead-letter exchange (rabbitmq-publisher.ts). */
export const deleteTopology = (queue: string) =>
  withChannel(async (ch) => {
    for (const q of [queue, `${queue}.retry`, `${queue}.dead`]) await ch.deleteQueue(q);
    await ch.deleteExchange(`${queue}.dlx`);
  });
