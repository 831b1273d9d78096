/** The task ledger on the Dedup table (dynalite through the real SDK): each transition is a conditional write. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskLedger } from '../../src/services/ports/task-ledger.js';
import { createTaskLedgerRepository } from '../../src/store/task-ledger-repository.js';
import { startTestStore, type TestStore } from '../helpers/store.js';

let store: TestStore;
let ledger: TaskLedger;

beforeAll(async () => {
  store = await startTestStore();
  ledger = createTaskLedgerRepository({
    doc: store.doc,
    tableName: store.tables.dedup,
    clock: store.clock,
    leaseMs: 60_000,
    retentionDays: 30,
  });
});
afterAll(async () => {
  await store.close();
});

describe('task ledger', () => {
  it('lets one worker start a task; the others are busy until it finishes, then it is done', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => ledger.begin('t-1')));
    expect(results.filter((r) => r.state === 'started')).toHaveLength(1);
    expect(results.filter((r) => r.state === 'busy')).toHaveLength(7);
    await ledger.complete('t-1');
    expect(await ledger.begin('t-1')).toEqual({ state: 'done' });
    await ledger.abandon('t-1'); // a no-op once done
    expect(await ledger.begin('t-1')).toEqual({ state: 'done' });
  });

  it('resumes after a failure with what was already posted', async () => {
    expect(await ledger.begin('t-2')).toEqual({ state: 'started' });
    await ledger.markPosted('t-2', { channel: 'C0ALERTS1', ts: '1.000100' });
    await ledger.abandon('t-2');
    expect(await ledger.begin('t-2')).toEqual({
      state: 'started',
      posted: { channel: 'C0ALERTS1', ts: '1.000100' },
    });
  });

  it('takes over a task whose worker vanished once its lease has run out', async () => {
    expect(await ledger.begin('t-3')).toEqual({ state: 'started' });
    expect(await ledger.begin('t-3')).toEqual({ state: 'busy' });
    store.clock.advance(60_001);
    expect(await ledger.begin('t-3')).toEqual({ state: 'started' });
  });

  it('forgets a task after the retention period', async () => {
    expect(await ledger.begin('t-4')).toEqual({ state: 'started' });
    await ledger.complete('t-4');
    store.clock.advance(31 * 86_400_000);
    await store.sweepExpired();
    expect(await ledger.begin('t-4')).toEqual({ state: 'started' });
  });
});
