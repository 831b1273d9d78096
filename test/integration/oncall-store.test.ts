/**
 * The Oncall table's repository (issue 18) on real dynalite through the real SDK: the conditional writes that
 * keep two people from both winning (an overrides save names the version it read; a swap is answered once) and
 * the once-only handoff steps (a lease, then done; a released or expired lease may be taken again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredOverride, SwapRequest } from '../../src/services/ports/oncall-store.js';
import { createOncallRepository } from '../../src/store/oncall-repository.js';
import { startTestStore, type TestStore } from '../helpers/store.js';

let store: TestStore;
let repo: ReturnType<typeof createOncallRepository>;
const T0 = Date.parse('2026-01-07T12:00:00Z');

beforeAll(async () => {
  store = await startTestStore();
  store.clock.set(T0);
  repo = createOncallRepository({ doc: store.doc, tableName: store.tables.oncall, clock: store.clock });
});
afterAll(async () => {
  await store?.close();
});

const override = (id: string, user: string, startHour: number): StoredOverride => ({
  id,
  schedule: 'payments',
  user,
  start: T0 + startHour * 3_600_000,
  end: T0 + (startHour + 2) * 3_600_000,
  createdBy: user,
  createdAt: T0,
});

describe('overrides', () => {
  it('a save names the version it read: of two saves from the same read, one wins', async () => {
    const read = await repo.overrides('payments');
    expect(read).toEqual({ overrides: [], version: 0 });
    const [first, second] = await Promise.all([
      repo.saveOverrides('payments', [override('a', 'U0BOB0001', 1)], read.version),
      repo.saveOverrides('payments', [override('b', 'U0CAROL01', 1)], read.version),
    ]);
    expect([first, second].sort()).toEqual([false, true]);
    const after = await repo.overrides('payments');
    expect(after.version).toBe(1);
    expect(after.overrides).toHaveLength(1);
    expect(await repo.saveOverrides('payments', [], 0)).toBe(false);
    expect(await repo.saveOverrides('payments', [...after.overrides, override('c', 'U0ALICE01', 5)], 1)).toBe(
      true,
    );
    expect((await repo.overrides('payments')).overrides.map((o) => o.id)).toEqual([
      after.overrides[0]!.id,
      'c',
    ]);
  });

  it('drops overrides that ended more than 90 days ago on the next save', async () => {
    const old = { ...override('old', 'U0BOB0001', -24 * 100), end: T0 - 91 * 86_400_000 };
    const { version } = await repo.overrides('history');
    expect(
      await repo.saveOverrides(
        'history',
        [old, { ...override('new', 'U0BOB0001', 1), schedule: 'history' }],
        version,
      ),
    ).toBe(true);
    expect((await repo.overrides('history')).overrides.map((o) => o.id)).toEqual(['new']);
  });

  it('refuses a malformed item loudly instead of dropping someone’s override', async () => {
    await store.doc.send(
      new PutCommand({
        TableName: store.tables.oncall,
        Item: { pk: 'OVERRIDES#broken', overrides: [{ id: 1 }] },
      }),
    );
    await expect(repo.overrides('broken')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});

describe('swap requests', () => {
  const swap: SwapRequest = {
    id: 'swp_1',
    schedule: 'payments',
    requester: 'U0ALICE01',
    asked: 'U0CAROL01',
    start: T0,
    end: T0 + 3_600_000,
    status: 'pending',
    createdAt: T0,
  };

  it('are created once and answered once', async () => {
    expect(await repo.createSwap(swap)).toBe(true);
    expect(await repo.createSwap(swap)).toBe(false);
    const answers = await Promise.all([
      repo.answerSwap('swp_1', 'accepted', T0),
      repo.answerSwap('swp_1', 'declined', T0),
    ]);
    expect(answers.sort()).toEqual([false, true]);
    const accepted = (await repo.swap('swp_1'))?.status === 'accepted';
    // Only an accepted request goes back to pending (its override could not be added).
    expect(await repo.reopenSwap('swp_1')).toBe(accepted);
    expect((await repo.swap('swp_1'))?.status).toBe(accepted ? 'pending' : 'declined');
    await repo.setSwapMessage('swp_1', { channel: 'D0CAROL01', ts: '1.000100' });
    expect(await repo.swap('swp_1')).toMatchObject({ message: { channel: 'D0CAROL01', ts: '1.000100' } });
  });

  it('are gone two weeks after their stretch ended', async () => {
    await repo.createSwap({ ...swap, id: 'swp_old' });
    store.clock.set(T0 + 15 * 86_400_000);
    try {
      expect(await repo.swap('swp_old')).toBeUndefined();
    } finally {
      store.clock.set(T0);
    }
  });
});

describe('handoff steps', () => {
  it('one process holds a step; done is done; a released or expired lease may be taken again', async () => {
    const key = 'notice:payments:1:U0BOB0001';
    const claims = await Promise.all([repo.claimStep(key, 60_000), repo.claimStep(key, 60_000)]);
    expect(claims.sort()).toEqual([false, true]);
    await repo.releaseStep(key);
    expect(await repo.claimStep(key, 60_000)).toBe(true);
    store.clock.advance(61_000);
    expect(await repo.claimStep(key, 60_000)).toBe(true);
    expect(await repo.stepDone(key)).toBe(false);
    await repo.completeStep(key);
    expect(await repo.stepDone(key)).toBe(true);
    store.clock.advance(600_000);
    expect(await repo.claimStep(key, 60_000)).toBe(false);
  });
});
