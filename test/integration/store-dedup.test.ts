import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../helpers/store.js';

let store: TestStore;
beforeEach(async () => {
  store = await startTestStore();
});
afterEach(async () => {
  await store.close();
});

describe('dedup repository (dynalite, real SDK)', () => {
  it('claims a key once', async () => {
    expect(await store.dedup.claim('slack:retry:1', 300)).toBe(true);
    expect(await store.dedup.claim('slack:retry:1', 300)).toBe(false);
    expect(await store.dedup.claim('slack:retry:2', 300)).toBe(true);
  });

  it('gives exactly one winner among 20 concurrent claims', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.dedup.claim('gh:delivery', 300)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('can claim again after release', async () => {
    expect(await store.dedup.claim('k', 300)).toBe(true);
    await store.dedup.release('k');
    expect(await store.dedup.claim('k', 300)).toBe(true);
  });

  it('treats an expired claim as absent, re-claims it, and the sweeper deletes expired items', async () => {
    expect(await store.dedup.claim('old', 60)).toBe(true);
    store.clock.advance(30_000);
    expect(await store.dedup.claim('old', 60)).toBe(false);
    store.clock.advance(31_001);
    expect(await store.dedup.claim('old', 60)).toBe(true); // expired, still stored: dynalite has no TTL

    expect(await store.dedup.claim('gone', 10)).toBe(true);
    store.clock.advance(11_000);
    expect(await store.sweepExpired()).toBe(1); // 'gone' only; 'old' was refreshed
    const { Count } = await store.client.send(new ScanCommand({ TableName: store.tables.dedup }));
    expect(Count).toBe(1);
  });
});
