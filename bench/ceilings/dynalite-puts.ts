/**
 * The store's ceiling: conditional PutItem calls per second from this process, through the same SDK client
 * the app uses, against a fresh dynalite in another process. Usage: `dynalite-puts.ts <endpoint> <table>
 * <concurrency> <seconds> [inARow]`; prints `{rate, puts, failed, p50, p99}`. Each of the `concurrency` callers
 * makes `inARow` puts one after another (default 1), as a request whose store calls depend on each other
 * does; p50 and p99 are those runs' latencies in milliseconds (the store's own floor for such a request).
 */
import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, LOCAL_CREDENTIALS } from '../../src/store/dynamo.js';
import { announce } from '../lib/process.js';
import { percentile } from '../lib/results.js';

const [endpoint = '', table = '', concurrencyArg = '32', secondsArg = '5', inARowArg = '1'] =
  process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const seconds = Number(secondsArg);
const inARow = Number(inARowArg);
const { client, doc } = createDynamoClients({
  region: 'us-east-1',
  endpoint,
  credentials: LOCAL_CREDENTIALS,
  maxAttempts: 2,
});
const run = randomBytes(4).toString('hex');
let n = 0;
let puts = 0;
let failed = 0;
const latencies: number[] = [];

// The same shape of write the app makes most: a new item only if its key is not there yet.
const put = () => {
  n += 1;
  return doc.send(
    new PutCommand({
      TableName: table,
      Item: { pk: `ceiling#${run}#${n}`, claimedAt: Date.now(), ttl: Math.floor(Date.now() / 1000) + 3600 },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

// Warm the connections, then measure.
await Promise.all(Array.from({ length: concurrency }, put));
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const began = performance.now();
      for (let i = 0; i < inARow; i += 1) {
        try {
          await put();
          puts += 1;
        } catch {
          failed += 1;
        }
      }
      latencies.push(performance.now() - began);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
client.destroy();
announce({
  rate: puts / elapsed,
  puts,
  failed,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
});
