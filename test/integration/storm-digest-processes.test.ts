/**
 * Storm digests across processes and restarts (issue 20), the real app on dynalite against the emulator:
 * - two processes on one store split a storm between them: one digest per channel-minute and the first
 *   DIGEST_AFTER incidents on their own, counted by both;
 * - what a process killed mid-storm leaves is finished by the next start's resync without posting digested
 *   incidents one by one: members it never added to their digest are added, a digest never posted is posted,
 *   and a digest posted but never recorded (kill -9 between Slack's answer and the write) is found by its
 *   metadata and adopted, not posted twice. (The kill -9 itself: test/e2e/storm-digest-crash.test.ts.)
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import { digestIdOf, digestMinuteOf, memberOf, type Digest } from '../../src/domain/digest.js';
import { openIncident, type Incident } from '../../src/domain/incident.js';
import { digestMessageMetadata } from '../../src/integrations/slack-message-lookup.js';
import { incidentStoreOf, ORPHANED_CLAIM_MS } from '../../src/store/incidents-repository.js';
import { ALERT_CHANNEL } from '../helpers/alerts.js';
import { startHikeshi, startPeer, type TestHikeshi } from '../helpers/hikeshi.js';
import { allMembers, stormView } from '../helpers/storm.js';

const ENV = { DIGEST_AFTER: '5' };
let h: TestHikeshi;
let peer: HikeshiApp;

beforeAll(async () => {
  h = await startHikeshi({ env: ENV });
  peer = await startPeer(h, { env: ENV });
});
afterAll(async () => {
  await peer.stop();
  await h.close();
});

const digestOfMinute = () => digestIdOf('alerts', digestMinuteOf(h.clock.now()));
const messagesOf = (id: string) => stormView(h).digests.filter((d) => d.id === id);

describe('two processes, one store', () => {
  it('agree on the first five and post one digest for the minute, counting every incident', async () => {
    h.clock.advance(10 * 60_000);
    const apps = [h.app, peer];
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        apps[n % 2]!.services.incidents.ingest({
          action: 'trigger',
          title: `Node not ready: worker-${String.fromCharCode(97 + (n % 26))}${n}`,
          dedupKey: `two-processes-${n}`,
          severity: 'warning',
          source: 'alertmanager',
          links: [],
        }),
      ),
    );
    await Promise.all([h.app.settle(), peer.settle()]);
    const ids = outcomes.map((o) => (o.action === 'ignored' ? '' : o.incident.id));
    const id = digestOfMinute();
    const stored = await h.app.store.digests.get(id);
    expect(stored?.opened).toBe(60);
    expect(stored?.count).toBe(55);
    expect(await allMembers(h.app.store.digests, id)).toHaveLength(55);
    const view = stormView(h);
    expect(ids.filter((i) => view.own.has(i))).toHaveLength(5);
    expect(messagesOf(id)).toHaveLength(1);
    await expect.poll(() => messagesOf(id)[0]?.shown).toBe(55);
  });
});

describe('a restart mid-storm', () => {
  let number = 700_000;
  const store = () => incidentStoreOf(h.store.incidents);

  /** What a process killed mid-storm leaves: the minute counted, the incident stored with its digest. */
  async function storedInDigest(id: string, title: string, addedToDigest: boolean): Promise<Incident> {
    number += 1;
    const minute = digestMinuteOf(h.clock.now());
    await h.app.store.digests.countOpened({ id, channel: 'alerts', minute });
    const incident: Incident = {
      ...openIncident({
        number,
        signal: { action: 'trigger', title, severity: 'error', source: 'grafana', links: [] },
        fingerprint: `restart-${number}`,
        now: h.clock.now(),
      }),
      digest: { id },
    };
    expect(await store().create({ ...incident })).toBe(true);
    if (addedToDigest) await h.app.store.digests.addMember(id, memberOf(incident));
    return incident;
  }

  it('adds the members the dead process left out and posts the digest once, not the incidents', async () => {
    h.clock.advance(10 * 60_000);
    const id = digestOfMinute();
    const before = h.emulator.workspace.messages(ALERT_CHANNEL).length;
    const incidents: Incident[] = [];
    for (let i = 0; i < 12; i += 1)
      incidents.push(await storedInDigest(id, `Queue backlog [restart ${i}]`, i % 3 !== 0));
    const restarted = await startPeer(h, { env: ENV });
    try {
      const left = await restarted.services.incidents.resync();
      expect(left).toMatchObject({ posts: 0, digests: 1 });
      await restarted.settle();
      const digest = (await h.app.store.digests.get(id)) as Digest;
      expect(digest.count).toBe(12);
      const members = await allMembers(h.app.store.digests, id);
      expect(members.map((m) => m.id).sort()).toEqual(incidents.map((i) => i.id).sort());
      expect(h.emulator.workspace.messages(ALERT_CHANNEL)).toHaveLength(before + 1);
      expect(messagesOf(id)).toEqual([expect.objectContaining({ shown: 12 })]);
      // Nothing left: a second start changes nothing.
      expect(await restarted.services.incidents.resync()).toMatchObject({ posts: 0, digests: 0 });
    } finally {
      await restarted.stop();
    }
  });

  it('opens the incident of an alert whose opener died between claiming its fingerprint and storing it', async () => {
    // Found by the kill -9 mid-storm (test/e2e/storm-digest-crash.test.ts): the pointer stayed, its incident
    // never came, and every later alert of that fingerprint failed after 20 waits for it.
    await h.store.incidents.claimFingerprint('orphaned-claim', 'INC-999999');
    h.clock.advance(ORPHANED_CLAIM_MS);
    const outcome = await h.app.services.incidents.ingest({
      action: 'trigger',
      title: 'Orphaned claim',
      dedupKey: 'orphaned-claim',
      severity: 'error',
      links: [],
    });
    expect(outcome).toMatchObject({ action: 'opened', deduplicated: false });
    expect(await h.store.incidents.findOpenByFingerprint('orphaned-claim')).toMatchObject({
      title: 'Orphaned claim',
    });
  });

  it('adopts a digest message that was posted but never recorded, and edits it to the current count', async () => {
    h.clock.advance(10 * 60_000);
    const id = digestOfMinute();
    const incidents: Incident[] = [];
    for (let i = 0; i < 4; i += 1)
      incidents.push(await storedInDigest(id, `Cache miss storm [adopt ${i}]`, true));
    // The dead process's post: tagged as the publisher tags digests, its attempt marked before it went out.
    const client = new WebClient(h.emulator.botToken, {
      slackApiUrl: h.emulator.apiUrl,
      retryConfig: { retries: 0 },
    });
    const earlier = await client.chat.postMessage({
      channel: ALERT_CHANNEL,
      text: 'Alert storm: +2 incidents (as first posted)',
      metadata: digestMessageMetadata({ id }),
    });
    await h.store.dedup.claim(`slack-digest-attempt:${id}`, 3600);
    const restarted = await startPeer(h, { env: ENV });
    try {
      await restarted.services.incidents.resync();
      await restarted.settle();
      expect((await h.app.store.digests.get(id))?.slack?.ts).toBe(earlier.ts);
      expect(messagesOf(id)).toEqual([expect.objectContaining({ ts: earlier.ts, shown: 4 })]);
    } finally {
      await restarted.stop();
    }
  });
});
