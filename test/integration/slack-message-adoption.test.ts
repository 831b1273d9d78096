/**
 * Issue 17: what a restart finds of the Slack work an earlier process left, in process (the real app on dynalite
 * against the emulator; the kill -9 itself is test/e2e/slack-crash-repost.test.ts):
 * - an incident whose post went out but was never recorded is found by its message metadata and adopted, not
 *   posted again — also when that earlier post's claim has expired, and only if the message is this app's own;
 * - a message left behind its incident (an edit a shutdown abandoned) is edited by the next start's resync, also
 *   for an incident resolved meanwhile.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIncident, type Incident } from '../../src/domain/incident.js';
import {
  INCIDENT_MESSAGE_EVENT,
  incidentMessageMetadata,
} from '../../src/integrations/slack-message-lookup.js';
import { POST_LEASE_SECONDS } from '../../src/integrations/slack-incident-publisher.js';
import { incidentStoreOf } from '../../src/store/incidents-repository.js';
import { startHikeshi, startPeer, type TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident as openThroughService } from '../helpers/open-incident.js';

const CHANNEL = 'C0ALERTS1';
let h: TestHikeshi;
let number = 880_000;

beforeAll(async () => {
  h = await startHikeshi();
});
afterAll(async () => {
  await h.close();
});

/** An incident stored without its message, as a process that died right after creating it leaves it. */
async function storedWithoutMessage(title: string): Promise<Incident> {
  number += 1;
  const incident = openIncident({
    number,
    signal: { action: 'trigger', title, severity: 'critical', links: [] },
    fingerprint: `adoption-${number}`,
    now: h.clock.now(),
  });
  expect(await incidentStoreOf(h.store.incidents).create({ ...incident })).toBe(true);
  return incident;
}

/** The earlier process's post: through the Web API with the bot's token, tagged like the publisher tags it. */
async function postedEarlier(incident: Incident): Promise<string> {
  const client = new WebClient(h.emulator.botToken, {
    slackApiUrl: h.emulator.apiUrl,
    retryConfig: { retries: 0 },
  });
  const posted = await client.chat.postMessage({
    channel: CHANNEL,
    text: `${incident.id} ${incident.title} (as first posted)`,
    metadata: incidentMessageMetadata(incident),
  });
  // That process recorded its attempt before posting (the mark a restart reads).
  await h.store.dedup.claim(`slack-post-attempt:${incident.id}`, 3600);
  return posted.ts!;
}

const about = (incident: Incident) =>
  h.emulator.workspace.messages(CHANNEL).filter((m) => m.text.includes(incident.title));

describe('a restart finishes the Slack work an earlier process left', () => {
  it('adopts a message whose post was never recorded, and edits it to the current state', async () => {
    const incident = await storedWithoutMessage('Disk full on db-1 [adopt]');
    const ts = await postedEarlier(incident);
    expect(await h.app.services.incidents.resync()).toMatchObject({ posts: 1 });
    await expect.poll(async () => (await h.app.services.incidents.get(incident.id))?.slack?.ts).toBe(ts);
    await h.app.settle();
    expect(about(incident)).toHaveLength(1);
    // Edited from what the earlier process rendered to what is stored now, and recorded as shown.
    expect(about(incident)[0]?.text).not.toContain('as first posted');
    const stored = await h.app.services.incidents.get(incident.id);
    expect(stored?.slackShownVersion).toBe(stored?.version);
  });

  it('adopts it after the earlier post claim expired too, without waiting for a restart', async () => {
    const incident = await storedWithoutMessage('Disk full on db-2 [expired claim]');
    expect(await h.store.dedup.claim(`slack-post:${incident.id}`, POST_LEASE_SECONDS)).toBe(true);
    const ts = await postedEarlier(incident);
    h.clock.advance((POST_LEASE_SECONDS + 1) * 1000);
    // Not a restart: a change (an acknowledgement) asks for the message, whose claim has expired.
    expect((await h.app.services.incidents.acknowledge(incident.id, 'U0ALICE01')).ok).toBe(true);
    await expect.poll(async () => (await h.app.services.incidents.get(incident.id))?.slack?.ts).toBe(ts);
    await h.app.settle();
    expect(about(incident)).toHaveLength(1);
    expect(JSON.stringify(about(incident)[0]?.blocks)).toMatch(/[Aa]cknowledged/);
  });

  it("never adopts another app's message that claims to be the incident's", async () => {
    const incident = await storedWithoutMessage('Disk full on db-3 [forged]');
    // A message from someone else (not the bot) with this app's metadata: Slack allows any app to send it.
    h.emulator.workspace.postMessage({
      channel: CHANNEL,
      user: 'U0BOB0001',
      text: `${incident.title} (forged)`,
      metadata: { event_type: INCIDENT_MESSAGE_EVENT, event_payload: { incident_id: incident.id } },
    });
    await h.store.dedup.claim(`slack-post-attempt:${incident.id}`, 3600);
    await h.app.services.incidents.resync();
    await expect.poll(async () => (await h.app.services.incidents.get(incident.id))?.slack?.ts).toBeTruthy();
    const own = about(incident).filter((m) => m.bot_id !== undefined);
    expect(own).toHaveLength(1);
    expect((await h.app.services.incidents.get(incident.id))?.slack?.ts).toBe(own[0]?.ts);
  });

  it('posts anyway when the search fails: a second message is better than none', async () => {
    const incident = await storedWithoutMessage('Disk full on db-4 [search down]');
    await h.store.dedup.claim(`slack-post-attempt:${incident.id}`, 3600);
    const remove = h.emulator.faults.add({ method: 'conversations.history', status: 500 });
    try {
      await h.app.services.incidents.resync();
      await expect
        .poll(async () => (await h.app.services.incidents.get(incident.id))?.slack?.ts)
        .toBeTruthy();
      expect(about(incident)).toHaveLength(1);
    } finally {
      remove();
    }
  });

  it('edits a message left behind its incident, resolved or not, and nothing else', async () => {
    const open = await openThroughService(h);
    const resolved = await openThroughService(h);
    await h.app.settle();
    expect(await h.app.services.incidents.resync()).toEqual({ posts: 0, edits: 0, digests: 0 });
    // Changes whose edits a shutdown abandoned: stored, never shown.
    await h.app.services.publisher.close(Date.now());
    expect((await h.app.services.incidents.acknowledge(open.id, 'U0ALICE01')).ok).toBe(true);
    expect((await h.app.services.incidents.resolve(resolved.id, 'U0ALICE01')).ok).toBe(true);
    const shownNow = () => JSON.stringify(h.emulator.workspace.message(CHANNEL, open.ts)?.blocks);
    expect(shownNow()).not.toMatch(/[Aa]cknowledged/);

    // The next start (a fresh app on the same store and Slack) finds both and edits them.
    const next = await startPeer(h);
    try {
      expect(await next.services.incidents.resync()).toEqual({ posts: 0, edits: 2, digests: 0 });
      await next.settle();
      expect(shownNow()).toMatch(/[Aa]cknowledged/);
      expect(JSON.stringify(h.emulator.workspace.message(CHANNEL, resolved.ts)?.blocks)).toMatch(
        /[Rr]esolved/,
      );
      expect(await next.services.incidents.resync()).toEqual({ posts: 0, edits: 0, digests: 0 });
    } finally {
      await next.stop();
    }
  });
});
