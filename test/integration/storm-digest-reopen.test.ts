/**
 * Storm digests meet the alert lifecycle (issue 20): a resolved incident that fires again is reopened, and a reopen
 * is a new firing the on-call engineer must see. Over the wire: alerts through `POST /api/alerts` and the Events
 * API v2 route, Slack through the emulator.
 * - one shown only by a digest, reopened when the storm is over, gets a message of its own, back to triggered;
 * - one reopened during a later storm joins that minute's digest, marked reopened, not the old digest far above;
 * - one that has its own message is set back to triggered in that message, never moved into a digest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inDigestOnly } from '../../src/domain/digest.js';
import type { Incident } from '../../src/domain/incident.js';
import { Actions } from '../../src/blocks/ids.js';
import { ALERT_CHANNEL, post, postedMessage, rendered } from '../helpers/alerts.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { allMembers, sendStorm, STORM_TOKEN, stormAlert, stormView } from '../helpers/storm.js';

const ALICE = 'U0ALICE01';
const DIGEST_AFTER = 5;
const MINUTE = 60_000;

let h: TestHikeshi;
let first: string[] = [];

const incident = async (id: string): Promise<Incident> => {
  const found = await h.app.services.incidents.get(id);
  if (!found) throw new Error(`${id} is not stored`);
  return found;
};
/** The alert of the first storm that opened `id`, sent again: a new firing. */
const fireAgain = (id: string) =>
  post(`${h.baseUrl}/api/alerts`, stormAlert('first', first.indexOf(id)), { token: STORM_TOKEN });
const resolveBySource = async (id: string) => {
  const res = await post(`${h.baseUrl}/api/alerts/events-v2`, {
    routing_key: STORM_TOKEN,
    event_action: 'resolve',
    dedup_key: `first-${first.indexOf(id)}`,
  });
  expect(res.status).toBe(202);
  await expect.poll(async () => (await incident(id)).status).toBe('resolved');
};

beforeAll(async () => {
  h = await startHikeshi({
    transport: 'http',
    env: { DIGEST_AFTER: String(DIGEST_AFTER), ALERTS_API_TOKEN: STORM_TOKEN },
  });
  first = await sendStorm(h, { prefix: 'first', count: DIGEST_AFTER + 4 });
  await h.app.settle();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('a reopen of an incident of a storm', () => {
  it('shown only by its digest, when the storm is over: a message of its own, back to triggered', async () => {
    const digested = (await Promise.all(first.map(incident))).filter(inDigestOnly);
    expect(digested).toHaveLength(4);
    const id = digested[0]!.id;
    await resolveBySource(id);
    await h.app.settle();
    expect(stormView(h).own.has(id)).toBe(false);

    h.clock.advance(5 * MINUTE); // a quiet minute: no storm any more
    const again = await fireAgain(id);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ incident_id: id, reopened: true, status: 'triggered' });

    const own = await postedMessage(h, id);
    expect(rendered(own)).toContain('reopened *1* time');
    expect(rendered(own)).toContain(Actions.acknowledge);
    const stored = await incident(id);
    expect(stored.digest?.ownMessageAt).toBeDefined();
    expect(inDigestOnly(stored)).toBe(false);
    // Its thread is there, with the reopen in it.
    await expect
      .poll(() =>
        h.emulator.workspace
          .thread(ALERT_CHANNEL, own.ts)
          .map((m) => m.text)
          .join('\n'),
      )
      .toContain('Fired again');
  });

  it("during a later storm: in that minute's digest, marked reopened; one with its own message keeps it", async () => {
    const stored = await Promise.all(first.map(incident));
    const digested = stored.filter(inDigestOnly).find((i) => i.status === 'triggered')!;
    const withMessage = stored.find((i) => i.slack !== undefined && i.reopenCount === undefined)!;
    await resolveBySource(digested.id);
    await resolveBySource(withMessage.id);
    await h.app.settle();

    h.clock.advance(5 * MINUTE);
    await sendStorm(h, { prefix: 'second', count: DIGEST_AFTER + 2 }); // this minute is a storm again
    await h.app.settle();
    const messagesBefore = h.emulator.workspace.messages(ALERT_CHANNEL).length;

    const [reopenedDigested, reopenedOwn] = await Promise.all([
      fireAgain(digested.id),
      fireAgain(withMessage.id),
    ]);
    expect(reopenedDigested.body).toMatchObject({ incident_id: digested.id, reopened: true });
    expect(reopenedOwn.body).toMatchObject({ incident_id: withMessage.id, reopened: true });
    await h.app.settle();

    // The digested one moved to this minute's digest, which shows it as reopened; nothing new was posted.
    const now = await incident(digested.id);
    expect(inDigestOnly(now)).toBe(true);
    expect(now.digest?.id).not.toBe(digested.digest?.id);
    const members = await allMembers(h.app.store.digests, now.digest!.id);
    expect(members.find((m) => m.id === digested.id)).toMatchObject({ reopened: true });
    const shown = stormView(h).digests.find((d) => d.id === now.digest!.id);
    expect(shown?.shown).toBe(3); // the second storm's two past DIGEST_AFTER, and the reopened one
    expect(rendered(shown?.message)).toContain(`*${digested.id}*`);
    expect(rendered(shown?.message)).toContain('_(reopened)_');
    // The one with its own message is back to triggered in that message, and in no digest.
    const own = await incident(withMessage.id);
    expect(own).toMatchObject({ status: 'triggered', reopenCount: 1, slack: withMessage.slack });
    expect(own.digest).toBeUndefined();
    await expect
      .poll(() => rendered(h.emulator.workspace.messages(ALERT_CHANNEL).find((m) => m.ts === own.slack?.ts)))
      .toContain('reopened *1* time');
    expect(h.emulator.workspace.messages(ALERT_CHANNEL)).toHaveLength(messagesBefore);

    // The old digest's list still has it, with its state now: triggered, reopened once.
    const old = stormView(h).digests.find((d) => d.id === digested.digest?.id)!;
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: ALERT_CHANNEL,
      messageTs: old.ts,
      actionId: Actions.digestList,
    });
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.views.top(ALICE)?.definition ?? ''))
      .toContain('reopened 1×');
  });
});
