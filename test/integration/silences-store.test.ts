/**
 * The Silences table through the real SDK on dynalite (src/store/silences-repository.ts): every decision several
 * processes could take at once is one conditional write — creating an id, ending early, applying, and above all
 * claiming the end summary, taken over only from a holder that died without recording its post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Silence } from '../../src/domain/silence.js';
import { startTestStore, type TestStore } from '../helpers/store.js';

let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => {
  await store.close();
});

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;
function silence(overrides: Partial<Silence> = {}): Silence {
  seq += 1;
  const now = store.clock.now();
  return {
    id: `sil-${String(seq).padStart(8, '0')}`,
    matchers: ['label:service="payments"'],
    startsAt: iso(now),
    endsAt: iso(now + 2 * HOUR),
    comment: 'failover',
    createdBy: 'U0ALICE01',
    createdAt: iso(now),
    ...overrides,
  };
}

describe('silences repository', () => {
  it('stores a silence once per id and reads it back as it was', async () => {
    const s = silence({ matchers: [], fingerprint: 'orders-db', incidentId: 'INC-7' });
    expect(await store.silences.create(s)).toBe(true);
    expect(await store.silences.create({ ...s, comment: 'again' })).toBe(false);
    expect(await store.silences.get(s.id)).toEqual(s);
    expect((await store.silences.list()).map((x) => x.id)).toContain(s.id);
    expect(await store.silences.get('sil-ffffffff')).toBeUndefined();
  });

  it('ends early once, and not after its end', async () => {
    const s = silence();
    await store.silences.create(s);
    const at = iso(store.clock.now() + HOUR);
    expect(await store.silences.expire(s.id, 'U0BOB0001', at)).toMatchObject({
      expiredAt: at,
      expiredBy: 'U0BOB0001',
    });
    expect(await store.silences.expire(s.id, 'U0BOB0001', at)).toBeUndefined();
    const over = silence({ endsAt: iso(store.clock.now() + 1) });
    await store.silences.create(over);
    expect(await store.silences.expire(over.id, 'api', iso(store.clock.now() + 2))).toBeUndefined();
    expect(await store.silences.expire('sil-fffffffe', 'api', at)).toBeUndefined();
  });

  it('is applied once', async () => {
    const s = silence();
    await store.silences.create(s);
    expect(await store.silences.markApplied(s.id, iso(store.clock.now()))).toBe(true);
    expect(await store.silences.markApplied(s.id, iso(store.clock.now()))).toBe(false);
  });

  it('gives its summary to one claimant; a released or stale unrecorded claim to the next; never a recorded one', async () => {
    const s = silence();
    await store.silences.create(s);
    const t = store.clock.now();
    const claims = await Promise.all(
      [0, 1, 2, 3].map(() => store.silences.claimSummary(s.id, iso(t), iso(t - 5 * 60_000))),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Released after a failed post: the next one gets it.
    await store.silences.releaseSummary(s.id);
    expect(await store.silences.claimSummary(s.id, iso(t + 1), iso(t - 5 * 60_000))).toBe(true);
    // Its holder died: within the lease nobody takes it, after it the next one does.
    expect(await store.silences.claimSummary(s.id, iso(t + 60_000), iso(t + 60_000 - 5 * 60_000))).toBe(
      false,
    );
    const later = t + 6 * 60_000;
    expect(await store.silences.claimSummary(s.id, iso(later), iso(later - 5 * 60_000))).toBe(true);
    const slack = { channel: 'C0ALERTS1', ts: '1.000100' };
    await store.silences.recordSummary(s.id, { postedAt: iso(later), incidents: 2, slack });
    expect((await store.silences.get(s.id))?.summary).toEqual({
      claimedAt: iso(later),
      postedAt: iso(later),
      incidents: 2,
      slack,
    });
    const muchLater = later + 24 * HOUR;
    expect(await store.silences.claimSummary(s.id, iso(muchLater), iso(muchLater - 5 * 60_000))).toBe(false);
    await store.silences.releaseSummary(s.id);
    expect((await store.silences.get(s.id))?.summary?.postedAt).toBe(iso(later));
  });

  it('drops a silence from the list once it has been kept SILENCE_KEPT_DAYS past its end', async () => {
    const s = silence();
    await store.silences.create(s);
    store.clock.advance(2 * HOUR + 8 * 24 * HOUR);
    expect(await store.silences.get(s.id)).toBeUndefined();
    expect((await store.silences.list()).map((x) => x.id)).not.toContain(s.id);
  });
});
