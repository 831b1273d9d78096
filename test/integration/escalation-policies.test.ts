/**
 * Issue 19, escalation policies end to end: the real app over signed Slack requests (the emulator signs them as
 * Slack does), the dynalite store, the real Connect client against the Connect fake, outcomes posted as
 * contact-flow events over HTTP, the manual clock moved by hand and the policy tick called directly.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Actions } from '../../src/blocks/ids.js';
import { respond, startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';
import { dms, ephemeralTexts } from '../helpers/oncall.js';
import {
  ALICE,
  BOB,
  CAROL,
  MINUTE,
  PAYMENTS_CHANNEL,
  WEDNESDAY_NOON,
  alertmanagerAlert,
  openedId,
  postAlertmanager,
  setOwnPhone,
  startWithPolicies,
  type PolicyHikeshi,
} from '../helpers/policies.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';

const PHONES = { [ALICE]: '+819012340001', [BOB]: '+819012340002', [CAROL]: '+819012340003' };

let fakes: PhoneFakes;
let running: PolicyHikeshi;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  running = await startWithPolicies(fakes);
  h = running.h;
  // Alice and Carol store their own numbers (national format, DEFAULT_PHONE_REGION=JP); Bob types E.164 in groups.
  await setOwnPhone(h, ALICE, '090-1234-0001');
  await setOwnPhone(h, CAROL, '090 1234 0003');
  await setOwnPhone(h, BOB, '+81 90-1234-0002');
});
afterAll(async () => {
  await running?.close();
  await fakes?.close();
});
beforeEach(() => {
  fakes.connect.dials.length = 0;
  h.clock.set(WEDNESDAY_NOON);
});
afterEach(async () => {
  for (const incident of await h.app.services.incidents.listOpen()) {
    await h.app.services.incidents.resolve(incident.id, 'U0CLEANUP');
  }
  await h.app.services.policyEscalation.drain();
  await h.app.services.publisher.flush();
  // Lines still ringing from the test are freed by their timeout.
  h.clock.advance(30 * MINUTE);
  await tick();
});

const tick = async () => {
  await h.app.services.policyEscalation.drain();
  const summary = await h.app.services.policyEscalation.tick(h.clock.now());
  await h.app.services.policyEscalation.drain();
  return summary;
};
const dialsTo = (user: keyof typeof PHONES) =>
  fakes.connect.dials.filter((d) => d.destinationPhone === PHONES[user]);
const threadText = async (id: string) => {
  const slack = (await h.app.services.incidents.get(id))?.slack;
  return slack === undefined
    ? ''
    : h.emulator.workspace
        .thread(slack.channel, slack.ts)
        .map((m) => m.text)
        .join('\n');
};

describe('escalation policies', () => {
  it('stores your own number from national formats, masked in the reply', () => {
    const texts = ephemeralTexts(h, ALICE).join('\n');
    expect(texts).toContain('escalation policies call you at +81-***-***-0001');
    expect(texts).not.toContain('1234-0001');
  });

  it('team=payments: Slack to the primary, a call 5 minutes later, then the manager', async () => {
    const id = openedId(
      await postAlertmanager(h, alertmanagerAlert({ team: 'payments' }, 'Payments API 5xx')),
    );
    const incident = await h.app.services.incidents.get(id);
    expect(incident).toMatchObject({ policy: 'payments', routeChannel: PAYMENTS_CHANNEL });
    await h.app.services.policyEscalation.drain();
    await tick();
    // Step 1: Alice (this week's primary) is mentioned in the thread and gets a DM with the buttons; no call.
    await expect.poll(() => threadText(id), { timeout: 5000 }).toContain(`<@${ALICE}> please take a look`);
    const dm = dms(h, ALICE).find((m) => m.text.includes(id));
    expect(JSON.stringify(dm?.blocks)).toContain(Actions.acknowledge);
    expect(fakes.connect.dials).toHaveLength(0);
    // The message says which policy pages, in the route's channel.
    expect(incident?.slack?.channel ?? (await h.app.services.incidents.get(id))?.slack?.channel).toBe(
      PAYMENTS_CHANNEL,
    );

    h.clock.advance(5 * MINUTE - 1000);
    await tick();
    expect(fakes.connect.dials).toHaveLength(0);
    h.clock.advance(1000);
    await tick();
    expect(dialsTo(ALICE)).toHaveLength(1);
    expect(dialsTo(ALICE)[0]?.attributes).toMatchObject({ incidentId: id, lineUser: ALICE });
    expect((await respond(h, dialsTo(ALICE)[0]!, 'timeout')).body['result']).toBe('no_answer');

    h.clock.advance(5 * MINUTE);
    await tick();
    expect(dialsTo(CAROL)).toHaveLength(1);
    expect(dialsTo(ALICE)).toHaveLength(1);
    await expect.poll(() => threadText(id), { timeout: 5000 }).toContain(`calling <@${CAROL}>`);
    expect(await threadText(id)).not.toContain('1234-0003');
  });

  it('an ack in Slack during step 2 cancels step 3', async () => {
    const id = openedId(await postAlertmanager(h, alertmanagerAlert({ team: 'payments' }, 'Ledger lag')));
    await h.app.services.policyEscalation.drain();
    await tick();
    h.clock.advance(5 * MINUTE);
    await tick();
    expect(dialsTo(ALICE)).toHaveLength(1);
    // Alice acknowledges with the button in her DM (a signed block_actions request).
    const dm = dms(h, ALICE).find((m) => m.text.includes(id));
    await h.emulator.actions.clickButton({
      userId: ALICE,
      channelId: dm!.channel,
      messageTs: dm!.ts,
      actionId: Actions.acknowledge,
      value: id,
    });
    await expect
      .poll(async () => (await h.app.services.incidents.get(id))?.status, { timeout: 5000 })
      .toBe('acknowledged');
    await h.app.services.policyEscalation.drain();
    expect(await h.app.services.policyEscalation.chain(id)).toMatchObject({
      phase: 'ended',
      endReason: 'acknowledged',
    });
    h.clock.advance(10 * MINUTE);
    await tick();
    expect(dialsTo(CAROL)).toHaveLength(0);
  });

  it('an override made in Slack changes who is called', async () => {
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: 'C0ALERTS1',
      command: '/oncall',
      text: `override <@${BOB}> now +2h payments-primary`,
    });
    await expect
      .poll(
        async () =>
          await h.app.services.schedules.whoIsOnCall(
            { kind: 'schedule', schedule: 'payments-primary' },
            h.clock.now(),
          ),
        { timeout: 5000 },
      )
      .toEqual([BOB]);
    const id = openedId(await postAlertmanager(h, alertmanagerAlert({ team: 'ops' }, 'Queue stuck')));
    await h.app.services.policyEscalation.drain();
    await tick();
    expect(dialsTo(BOB)).toHaveLength(1);
    expect(dialsTo(ALICE)).toHaveLength(0);
    expect(dialsTo(BOB)[0]?.attributes['incidentId']).toBe(id);
  });
});
