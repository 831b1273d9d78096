import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/domain/clock.js';
import { AppError, ErrorCode } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import {
  LOCAL_CREDENTIALS,
  createDedupRepository,
  createStore,
  createDynamoClients,
  ensureTables,
  resolveTableNames,
  startEmbeddedDynamo,
  startExpirySweeper,
  type EmbeddedDynamo,
} from '../../src/store/index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An embedded dynalite serving on a loopback port, for clients other than the store's own. */
async function embedded(): Promise<EmbeddedDynamo & { endpoint: string }> {
  const dynamo = await startEmbeddedDynamo({ listen: true });
  cleanups.push(() => dynamo.close());
  const { endpoint } = dynamo;
  if (endpoint === undefined) throw new Error('listen: true gave no endpoint');
  return { ...dynamo, endpoint };
}

function clients(endpoint: string) {
  const c = createDynamoClients({
    region: 'us-east-1',
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  cleanups.push(() => c.client.destroy());
  return c;
}

describe('ensureTables', () => {
  it('creates the missing tables once and reports that dynalite has no TTL', async () => {
    const { client } = clients((await embedded()).endpoint);
    const names = resolveTableNames({ TABLE_PREFIX: 'test-' });
    const first = await ensureTables(client, names);
    expect(first.created.sort()).toEqual(Object.values(names).sort());
    expect(first.ttlSupported).toBe(false);
    const second = await ensureTables(client, names);
    expect(second.created).toEqual([]);
  });
});

describe('store errors', () => {
  it('wraps an SDK failure in AppError(StoreUnavailable) with the cause', async () => {
    const dynamo = await embedded();
    const { endpoint } = dynamo;
    await dynamo.close();
    const { doc } = clients(endpoint);
    const dedup = createDedupRepository({ doc, tableName: 'Dedup', clock: createManualClock() });
    const error: unknown = await dedup.claim('k', 60).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: ErrorCode.StoreUnavailable, status: 500 });
    expect((error as AppError).cause).toBeDefined();
  });

  it('wraps a missing table too (ResourceNotFoundException)', async () => {
    const { doc } = clients((await embedded()).endpoint);
    const dedup = createDedupRepository({ doc, tableName: 'Nope', clock: createManualClock() });
    await expect(dedup.claim('k', 60)).rejects.toMatchObject({
      code: ErrorCode.StoreUnavailable,
      details: { table: 'Nope', error: 'ResourceNotFoundException' },
    });
  });
});

describe('expiry sweeper', () => {
  it('deletes expired items on its timer', async () => {
    const { client, doc } = clients((await embedded()).endpoint);
    const tables = resolveTableNames({});
    await ensureTables(client, tables);
    const clock = createManualClock();
    const dedup = createDedupRepository({ doc, tableName: tables.dedup, clock });
    await dedup.claim('short', 1);
    await dedup.claim('long', 3600);
    clock.advance(5_000);

    const sweeper = startExpirySweeper({
      doc,
      tables,
      clock,
      intervalMs: 10,
      logger: createLogger({ level: 'silent' }),
    });
    cleanups.push(() => sweeper.stop());
    await expect
      .poll(async () => (await client.send(new ScanCommand({ TableName: tables.dedup }))).Count, {
        timeout: 2_000,
        interval: 20,
      })
      .toBe(1);
  });
});

describe('createStore in dynamodb mode', () => {
  it('follows AWS_ENDPOINT_URL_DYNAMODB and creates no tables', async () => {
    const dynamo = await embedded();
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    cleanups.push(() => {
      vi.unstubAllEnvs();
    });
    const tables = resolveTableNames({ TABLE_PREFIX: 'aws-' });
    const store = await createStore({
      mode: 'dynamodb',
      dataDir: '.data/unused',
      region: 'ap-northeast-1',
      tables,
      clock: createManualClock(),
      logger: createLogger({ level: 'silent' }),
    });
    cleanups.push(() => store.close());
    expect(store.endpoint).toBeUndefined();
    await expect(store.dedup.claim('k', 60)).rejects.toMatchObject({ code: ErrorCode.StoreUnavailable });
    // GET /health reads DynamoDB the same way: a GetItem on the dedup table.
    expect(await store.probe()).toEqual({ ok: false, reason: 'ResourceNotFoundException' });
    await ensureTables(store.client, tables); // what a DynamoDB Local user would run
    expect(await store.dedup.claim('k', 60)).toBe(true);
    expect(await store.probe()).toEqual({ ok: true });
    await dynamo.close();
    expect(await store.probe()).toEqual({ ok: false, reason: 'ECONNREFUSED' });
  });
});
