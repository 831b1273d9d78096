import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../src/errors.js';
import { startTestStore, type TestStore } from '../helpers/store.js';

// One dynalite for the file; every test uses its own keys.
let store: TestStore;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => {
  await store.close();
});

const DAY_S = 86_400;
const nowS = () => Math.floor(store.clock.now() / 1000);

describe('responders repository', () => {
  const alice = { userId: 'U1', phone: '+819012340001', priority: 2, name: 'Alice' };
  const bob = { userId: 'U2', phone: '+819012340002', priority: 1 };

  it('returns an empty group at version 0, then the list sorted by priority', async () => {
    expect(await store.responders.get('g1')).toEqual({ responders: [], version: 0 });
    expect(await store.responders.save('g1', [alice, bob], 0)).toBe(1);
    expect(await store.responders.list('g1')).toEqual([bob, alice]);
  });

  it('rejects a save against a stale version with Conflict', async () => {
    await store.responders.save('g2', [alice], 0);
    const { version } = await store.responders.get('g2');
    expect(await store.responders.save('g2', [alice, bob], version)).toBe(2);
    const stale = store.responders.save('g2', [bob], version);
    await expect(stale).rejects.toBeInstanceOf(AppError);
    await expect(stale).rejects.toMatchObject({ code: ErrorCode.Conflict, status: 409 });
    await expect(store.responders.save('g2', [bob], 0)).rejects.toMatchObject({ code: ErrorCode.Conflict });
    expect(await store.responders.save('g2', [bob])).toBe(3); // unconditional still bumps
  });

  it('refuses a phone number that is not E.164', async () => {
    await expect(store.responders.save('g3', [{ ...bob, phone: '090-1234-0001' }])).rejects.toMatchObject({
      code: ErrorCode.BadRequest,
    });
  });
});

describe('call status repository', () => {
  it('creates once, updates only from the expected state, deletes', async () => {
    expect(await store.callStatus.create({ statusId: 'e1', state: 'calling', index: 0 })).toBe(true);
    expect(await store.callStatus.create({ statusId: 'e1', state: 'calling' })).toBe(false);
    expect(await store.callStatus.update('e1', { state: 'answered' }, { expectedState: 'idle' })).toBe(false);
    expect(
      await store.callStatus.update(
        'e1',
        { state: 'answered', index: undefined },
        { expectedState: 'calling' },
      ),
    ).toBe(true);
    const item = await store.callStatus.get('e1');
    expect(item).toMatchObject({ statusId: 'e1', state: 'answered', ttl: nowS() + DAY_S });
    expect(item).not.toHaveProperty('index');
    expect(await store.callStatus.update('missing', { state: 'x' })).toBe(false);
    await store.callStatus.delete('e1');
    expect(await store.callStatus.get('e1')).toBeUndefined();
  });

  it('treats an expired item as absent', async () => {
    expect(await store.callStatus.create({ statusId: 'e2', state: 'calling' }, 60)).toBe(true);
    store.clock.advance(61_000);
    expect(await store.callStatus.get('e2')).toBeUndefined();
    expect(await store.callStatus.update('e2', { state: 'answered' })).toBe(false);
    expect(await store.callStatus.create({ statusId: 'e2', state: 'calling' })).toBe(true);
  });
});

describe('in-progress repository', () => {
  it('claims once and releases only for the holder', async () => {
    expect(await store.inProgress.claim('err1', { responderId: 'U1' }, 600)).toBe(true);
    expect(await store.inProgress.claim('err1', { responderId: 'U2' }, 600)).toBe(false);
    expect(await store.inProgress.get('err1')).toMatchObject({ errorId: 'err1', responderId: 'U1' });
    expect(await store.inProgress.release('err1', { responderId: 'U2' })).toBe(false);
    expect(await store.inProgress.release('err1', { responderId: 'U1' })).toBe(true);
    expect(await store.inProgress.get('err1')).toBeUndefined();
  });
});

describe('call history repository', () => {
  it('appends attempts in order and sets ttl to now + days', async () => {
    await store.callHistory.append('h1', { responderId: 'U1', result: 'no_answer' }, 30);
    store.clock.advance(5_000);
    await store.callHistory.append('h1', { responderId: 'U2', result: 'accepted' }, 30);
    expect(await store.callHistory.list('h1')).toEqual([
      { responderId: 'U1', result: 'no_answer' },
      { responderId: 'U2', result: 'accepted' },
    ]);
    const raw = await store.client.send(
      new GetItemCommand({
        TableName: store.tables.callHistory,
        Key: { errorId: { S: 'h1' } },
      }),
    );
    expect(Number(raw.Item?.['ttl']?.N)).toBe(nowS() + 30 * DAY_S);
  });

  it('reads an expired history as empty and starts a fresh list after it', async () => {
    await store.callHistory.append('h2', { result: 'old' }, 1);
    store.clock.advance(DAY_S * 1000 + 1_000);
    expect(await store.callHistory.list('h2')).toEqual([]);
    await store.callHistory.append('h2', { result: 'new' }, 1);
    expect(await store.callHistory.list('h2')).toEqual([{ result: 'new' }]);
  });
});

describe('incidents repository', () => {
  it('hands out 20 distinct numbers to 20 concurrent callers', async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, () => store.incidents.nextNumber()));
    expect(new Set(numbers).size).toBe(20);
    expect(Math.max(...numbers)).toBe(20);
  });

  it('creates once and updates with optimistic versions', async () => {
    expect(await store.incidents.create({ id: 'i1', status: 'open', title: 'DB down' })).toBe(true);
    expect(await store.incidents.create({ id: 'i1', status: 'open' })).toBe(false);
    const v1 = await store.incidents.get('i1');
    expect(v1).toEqual({ id: 'i1', status: 'open', title: 'DB down', version: 1 });
    const v2 = await store.incidents.update('i1', { status: 'acknowledged' }, { expectedVersion: 1 });
    expect(v2).toMatchObject({ status: 'acknowledged', title: 'DB down', version: 2 });
    await expect(
      store.incidents.update('i1', { status: 'resolved' }, { expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: ErrorCode.Conflict });
    const v3 = await store.incidents.put(
      { id: 'i1', status: 'open', title: 'DB back' },
      { expectedVersion: 2 },
    );
    expect(v3.version).toBe(3);
    await expect(store.incidents.put({ id: 'i1' }, { expectedVersion: 2 })).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
  });

  it('lets exactly one of concurrent same-fingerprint alerts open an incident', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `fp-race-${i}`);
    const winners = await Promise.all(ids.map((id) => store.incidents.claimFingerprint('fp-a', id)));
    expect(new Set(winners).size).toBe(1);
    const winner = winners[0]!;
    expect(ids).toContain(winner);
    await store.incidents.create({ id: winner, status: 'open' });
    expect((await store.incidents.findOpenByFingerprint('fp-a'))?.id).toBe(winner);
    expect(await store.incidents.claimFingerprint('fp-a', 'late')).toBe(winner);
  });

  it('keeps a closed incident findable by fingerprint, taken over only by naming it, released only by its holder', async () => {
    await store.incidents.create({ id: 'i-fp1', status: 'open' });
    expect(await store.incidents.claimFingerprint('fp-b', 'i-fp1')).toBe('i-fp1');
    expect(await store.incidents.releaseFingerprint('fp-b', 'other')).toBe(false);
    await store.incidents.update('i-fp1', { status: 'resolved' }, { expectedVersion: 1 });
    expect(await store.incidents.findOpenByFingerprint('fp-b')).toBeUndefined();
    // Still there for a reopen; a new incident must name the one it replaces.
    expect(await store.incidents.findByFingerprint('fp-b')).toMatchObject({
      id: 'i-fp1',
      status: 'resolved',
    });
    expect(await store.incidents.claimFingerprint('fp-b', 'i-fp2')).toBe('i-fp1');
    expect(await store.incidents.claimFingerprint('fp-b', 'i-fp2', { replacing: 'stale' })).toBe('i-fp1');
    expect(await store.incidents.claimFingerprint('fp-b', 'i-fp2', { replacing: 'i-fp1' })).toBe('i-fp2');
    // Of two processes replacing the same incident, one wins and the other learns who.
    expect(await store.incidents.claimFingerprint('fp-b', 'i-fp3', { replacing: 'i-fp1' })).toBe('i-fp2');
    expect(await store.incidents.releaseFingerprint('fp-b', 'i-fp2')).toBe(true);
    expect(await store.incidents.findOpenByFingerprint('fp-b')).toBeUndefined();
  });

  it('lists open incidents only', async () => {
    const open = await store.incidents.listOpen();
    const ids = open.map((i) => i.id);
    expect(ids).toContain('i1');
    expect(ids).not.toContain('i-fp1');
    expect(open.every((i) => i.status !== 'resolved')).toBe(true);
  });
});

describe('job reports repository', () => {
  const report = (id: string, minute: number) => ({
    id,
    title: 'nightly',
    status: 'success',
    finishedAt: `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`,
    message: `run ${id}`,
  });

  it('keeps the latest and returns history newest first with a limit', async () => {
    for (const [i, minute] of [5, 1, 9, 3, 7].entries()) {
      await store.jobReports.appendHistory('nightly', report(`r${i}`, minute), 30);
    }
    await store.jobReports.putLatest('nightly', report('r2', 9));
    await store.jobReports.putLatest('weekly', report('w1', 0));

    const history = await store.jobReports.history('nightly', 3);
    expect(history.map((r) => r.id)).toEqual(['r2', 'r4', 'r0']);
    expect(history[0]).toMatchObject({ jobKey: 'nightly', title: 'nightly' });
    expect((await store.jobReports.getLatest('nightly'))?.id).toBe('r2');
    expect((await store.jobReports.listLatest()).map((r) => r.jobKey).sort()).toEqual(['nightly', 'weekly']);
  });

  it('skips expired history rows and still fills the limit', async () => {
    const jobs = store.jobReports;
    await jobs.appendHistory('hourly', report('new1', 50), 30);
    await jobs.appendHistory('hourly', report('new2', 51), 30);
    await jobs.appendHistory('hourly', report('short', 59), 1); // newest, but expires first
    store.clock.advance(2 * DAY_S * 1000);
    expect((await jobs.history('hourly', 2)).map((r) => r.id)).toEqual(['new2', 'new1']);
  });
});
