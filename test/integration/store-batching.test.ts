/**
 * The embedded store's cost cutters (issue 10): the in-process transport, reads and plain writes coalesced into
 * batch calls, and incident numbers drawn together. Callers must not be able to tell, except by the speed.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../helpers/store.js';

describe('embedded store batching', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('concurrent incident numbers are distinct and leave no gap', async () => {
    const first = await store.incidents.nextNumber();
    const numbers = await Promise.all(Array.from({ length: 120 }, () => store.incidents.nextNumber()));
    expect(new Set(numbers).size).toBe(120);
    expect(Math.min(...numbers)).toBe(first + 1);
    expect(Math.max(...numbers)).toBe(first + 120);
  });

  it('concurrent reads each get their own item, or nothing, across tables', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.dedup.claim(`batch-read-${i}`, 600)));
    const reads = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) =>
        store.doc.send(new GetCommand({ TableName: store.tables.dedup, Key: { key: `batch-read-${i}` } })),
      ),
      store.doc.send(new GetCommand({ TableName: store.tables.dedup, Key: { key: 'batch-read-missing' } })),
      store.incidents.get('INC-999999'),
    ]);
    const items = reads.slice(0, 30) as { Item?: { key: string } }[];
    expect(items.map((r) => r.Item?.key)).toEqual(Array.from({ length: 30 }, (_, i) => `batch-read-${i}`));
    expect((reads[30] as { Item?: unknown }).Item).toBeUndefined();
    expect(reads[31]).toBeUndefined();
  });

  it('plain writes of one key in one turn land in order; conditional ones still decide', async () => {
    const table = store.tables.dedup;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.doc.send(new PutCommand({ TableName: table, Item: { key: 'batch-write', n: i } })),
      ),
    );
    const { Item } = await store.doc.send(new GetCommand({ TableName: table, Key: { key: 'batch-write' } }));
    expect(Item?.['n']).toBe(39);
    const claims = await Promise.all(Array.from({ length: 10 }, () => store.dedup.claim('batch-claim', 600)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
