/**
 * A storm digest's cost does not grow with the storm (issue 22): each member is its own small item, and the digest's
 * item keeps only what its message shows, so the 5,000th member costs the store what the first did and the item
 * stays a few kilobytes (DynamoDB rewrites and bills the whole item on every write, and refuses one over 400 KB).
 * The calls are counted on the real store's client, under the repository.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIGEST_FIRST_KEPT,
  DIGEST_GROUPS_KEPT,
  DIGEST_MEMBERS_PER_PAGE,
  digestIdOf,
  type DigestMember,
} from '../../src/domain/digest.js';
import { startTestStore, type TestStore } from '../helpers/store.js';
import { allMembers } from '../helpers/storm.js';

const MINUTE = '2026-01-14T10:31:00.000Z';
const MEMBERS = 5_000;

function member(n: number): DigestMember {
  return {
    id: `INC-${n}`,
    number: n,
    title: `Disk full on db-${n}: ${'x'.repeat(100)}`,
    severity: n % 7 === 0 ? 'critical' : 'error',
    // Every incident from a sender of its own: the worst case for the groups.
    source: `exporter-${n}`,
    label: `alertname=DiskFull${n}`,
  };
}

describe('a storm digest of 5,000 members', () => {
  let store: TestStore;
  const id = digestIdOf('alerts', MINUTE);
  const calls: string[] = [];
  /** Each call's input, beside its name: what a call was about. */
  const inputs: string[] = [];

  beforeAll(async () => {
    store = await startTestStore();
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(context.commandName ?? '?');
        inputs.push(JSON.stringify(args.input));
        return next(args);
      },
      { step: 'initialize', name: 'digestStoreCallCounter' },
    );
  });
  afterAll(async () => {
    await store.close();
  });

  /** The store calls one addMember makes: writes (a plain Put may go out in a batch) and reads. */
  async function callsOfAdding(n: number): Promise<string[]> {
    calls.length = 0;
    await store.digests.addMember(id, member(n));
    return calls.map((name) => (/^(Put|Update|BatchWrite)/.test(name) ? 'write' : name)).sort();
  }

  async function digestItemBytes(pk = `DIGEST#${id}`): Promise<number> {
    const { Item } = await store.doc.send(
      new GetCommand({
        TableName: store.tables.incidents,
        Key: { pk },
        ConsistentRead: true,
      }),
    );
    return JSON.stringify(marshall(Item ?? {}, { convertClassInstanceToMap: true })).length;
  }

  it('adds each member with the same few small writes, from the first to the 5,000th', async () => {
    await store.digests.countOpened({ id, channel: 'alerts', minute: MINUTE }); // the minute's digest is made
    const early: string[][] = [];
    for (let n = 1; n <= 40; n += 1) early.push(await callsOfAdding(n));
    const small = await digestItemBytes();
    // The middle of the storm, 50 at a time (as many processes' requests would).
    for (let n = 41; n <= MEMBERS - 10; n += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, MEMBERS - 10 - n + 1) }, (_, i) =>
          store.digests.addMember(id, member(n + i)),
        ),
      );
    }
    const late: string[][] = [];
    for (let n = MEMBERS - 9; n <= MEMBERS; n += 1) late.push(await callsOfAdding(n));

    // One conditional count (which also takes earlier members out of `pending`), the member on its page, and at
    // times a write taking out what no count took: no read, nothing growing. The one that finds the groups full
    // tries the other ways first, once per process and digest.
    const findsFull = early.splice(DIGEST_GROUPS_KEPT, 1)[0] ?? [];
    for (const made of [...early, ...late]) {
      expect(made.every((c) => c === 'write')).toBe(true);
      expect(made.length).toBeGreaterThanOrEqual(2);
      expect(made.length).toBeLessThanOrEqual(3);
    }
    expect(findsFull.length).toBeLessThanOrEqual(5);
    // The item is no larger for 5,000 members than for 40, and far from DynamoDB's 400 KB.
    const large = await digestItemBytes();
    expect(large).toBeLessThan(12_000);
    expect(large).toBeLessThanOrEqual(small + 200);
    // A page holds DIGEST_MEMBERS_PER_PAGE members, each title clipped: a few KB too.
    expect(await digestItemBytes(`DIGEST#${id}#P#${MEMBERS / DIGEST_MEMBERS_PER_PAGE - 1}`)).toBeLessThan(
      8_000,
    );

    const digest = await store.digests.get(id);
    expect(digest).toMatchObject({
      count: MEMBERS,
      version: MEMBERS,
      ungrouped: MEMBERS - DIGEST_GROUPS_KEPT,
    });
    expect(digest?.first.map((m) => m.number)).toEqual(
      Array.from({ length: DIGEST_FIRST_KEPT }, (_, i) => i + 1),
    );
    expect(digest?.groups).toHaveLength(DIGEST_GROUPS_KEPT);
    expect(digest?.groups.find((g) => g.source === 'exporter-7')?.severity).toBe('critical');
  }, 120_000); // 15,000 store calls: a loaded machine needs longer than the default

  it('lists every member, a page of DIGEST_MEMBERS_PER_PAGE at a time, each page one read', async () => {
    calls.length = 0;
    inputs.length = 0;
    const lastPage = MEMBERS / DIGEST_MEMBERS_PER_PAGE - 1;
    const last = await store.digests.page(id, lastPage);
    // One read of the page: a GetItem (the embedded store may send it as a batch of one). Only the calls about
    // this page count: a write the test before left in flight may land meanwhile on a loaded machine.
    expect(inputs.filter((input) => input.includes(`#P#${lastPage}"`))).toHaveLength(1);
    expect(last.map((m) => m.number)).toEqual(
      Array.from({ length: DIGEST_MEMBERS_PER_PAGE }, (_, i) => MEMBERS - DIGEST_MEMBERS_PER_PAGE + 1 + i),
    );
    const all = await allMembers(store.digests, id);
    expect(all).toHaveLength(MEMBERS);
    expect(new Set(all.map((m) => m.id)).size).toBe(MEMBERS);
  });

  it('counts a member once, however often it is recovered', async () => {
    const recovered = await store.digests.recover(id, [member(4), member(MEMBERS), member(MEMBERS + 1)]);
    expect(recovered).toBe(1); // only the one never added
    expect(await store.digests.recover(id, [member(MEMBERS + 1)])).toBe(0);
    expect((await store.digests.get(id))?.count).toBe(MEMBERS + 1);
  });

  it('finishes a member a process counted and then died before writing, counting it once', async () => {
    const dying = member(MEMBERS + 2);
    // The store's client fails the write of the member on its page, as a process killed at that moment would.
    const failWrite = 'digestPageWriteFails';
    store.client.middlewareStack.add(
      (next) => async (args) => {
        if (JSON.stringify(args.input).includes(`DIGEST#${id}#P#`)) throw new Error('killed');
        return next(args);
      },
      { step: 'initialize', name: failWrite },
    );
    await expect(store.digests.addMember(id, dying)).rejects.toThrow();
    store.client.middlewareStack.remove(failWrite);
    const counted = await store.digests.get(id);
    expect(counted?.count).toBe(MEMBERS + 2);

    expect(await store.digests.recover(id, [dying, member(1)])).toBe(1);
    expect((await store.digests.get(id))?.count).toBe(MEMBERS + 2);
    const all = await allMembers(store.digests, id);
    expect(all.filter((m) => m.id === dying.id)).toHaveLength(1);
    expect(all).toHaveLength(MEMBERS + 2);
    // Finished: a second start finds nothing to do.
    expect(await store.digests.recover(id, [dying])).toBe(0);
  });
});
