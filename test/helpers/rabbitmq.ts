/**
 * Helpers for tests against the real RabbitMQ at 127.0.0.1:5672 (override with AMQP_URL).
 *
 * Broker "restarts" are simulated in ways that only touch this test's own connections, so test files running
 * in parallel (and other people's runs on the same broker) are not disturbed:
 *   - `createBrokerProxy()`: a TCP proxy in front of the broker; `cut()` drops every socket and refuses new
 *     ones until `restore()`: what a client sees when the broker process dies and comes back;
 *   - `connectionPids()` + `closeConnections()`: `rabbitmqctl close_connection` on our `connection_name`:
 *     the broker-side CONNECTION_FORCED close a graceful `rabbitmqctl stop_app` sends.
 * A real `rabbitmqctl stop_app` / `start_app` (about 0.9 s + 1.3 s here) is available behind
 * HIKESHI_TEST_BROKER_RESTART=1 because it disconnects everyone.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { promisify } from 'node:util';
import amqp from 'amqplib';

const exec = promisify(execFile);

export const AMQP_TEST_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export function uniqueQueueName(): string {
  return `hikeshi.test.${randomBytes(6).toString('hex')}`;
}

async function withChannel<T>(fn: (ch: amqp.Channel) => Promise<T>): Promise<T> {
  const conn = await amqp.connect(AMQP_TEST_URL);
  try {
    const ch = await conn.createChannel();
    return await fn(ch);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Deletes `<queue>`, `.retry`, `.dead` and the `.dlx` exchange. */
export async function deleteTaskTopology(queue: string): Promise<void> {
  await withChannel(async (ch) => {
    for (const q of [queue, `${queue}.retry`, `${queue}.dead`]) await ch.deleteQueue(q);
    await ch.deleteExchange(`${queue}.dlx`);
  });
}

/** Publishes raw bytes straight to a queue (to make poison messages). */
export async function publishRaw(queue: string, content: Buffer, options: amqp.Options.Publish = {}) {
  await withChannel(async (ch) => {
    ch.sendToQueue(queue, content, { persistent: true, ...options });
    // A plain channel has no confirms; a round trip after the publish orders it before the close.
    await ch.checkQueue(queue);
  });
}

export interface DrainedMessage {
  content: string;
  headers: Record<string, unknown>;
  messageId: unknown;
  contentType: unknown;
  deliveryMode: unknown;
}

/** Takes every message currently in `queue` (acking them). */
export async function drainQueue(queue: string): Promise<DrainedMessage[]> {
  return withChannel(async (ch) => {
    const out: DrainedMessage[] = [];
    for (;;) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg === false) return out;
      out.push({
        content: msg.content.toString('utf8'),
        headers: (msg.properties.headers ?? {}) as Record<string, unknown>,
        messageId: msg.properties.messageId as unknown,
        contentType: msg.properties.contentType as unknown,
        deliveryMode: msg.properties.deliveryMode as unknown,
      });
    }
  });
}

export async function messageCount(queue: string): Promise<number> {
  return withChannel(async (ch) => (await ch.checkQueue(queue)).messageCount);
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  label = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface BrokerProxy {
  url: string;
  /** Destroys every proxied socket and refuses new connections. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** Keeps sockets open but stops forwarding anything (a hung broker). */
  blackhole(): void;
  close(): Promise<void>;
}

export async function createBrokerProxy(target = new URL(AMQP_TEST_URL)): Promise<BrokerProxy> {
  const sockets = new Set<net.Socket>();
  let mode: 'open' | 'cut' | 'blackhole' = 'open';
  const server = net.createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port || 5672), target.hostname);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk) => {
      if (mode === 'open') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'open') client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const url = new URL(AMQP_TEST_URL);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.toString(),
    cut() {
      mode = 'cut';
      for (const s of sockets) s.destroy();
    },
    restore() {
      mode = 'open';
    },
    blackhole() {
      mode = 'blackhole';
    },
    async close() {
      mode = 'cut';
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Broker-side ids of the connections whose client `connection_name` is `name`. */
export async function connectionPids(name: string): Promise<string[]> {
  const { stdout } = await exec('rabbitmqctl', [
    'list_connections',
    '-q',
    '--no-table-headers',
    'pid',
    'client_properties',
  ]);
  return (
    stdout
      .split('\n')
      // Names are random per test, so a substring match on the client properties is exact enough.
      .filter((line) => line.includes(name))
      .map((line) => line.split(/\s+/)[0])
      .filter((pid): pid is string => pid !== undefined && pid.startsWith('<'))
  );
}

/** Force-closes connections broker side (CONNECTION_FORCED, as a broker shutting down sends). */
export async function closeConnections(pids: readonly string[]): Promise<void> {
  for (const pid of pids)
    await exec('rabbitmqctl', ['close_connection', pid, 'hikeshi test: simulated restart']);
}

export async function restartBrokerApp(): Promise<void> {
  await exec('rabbitmqctl', ['stop_app']);
  await exec('rabbitmqctl', ['start_app']);
}
