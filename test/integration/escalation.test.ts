/**
 * Issue 7: phone escalation end to end — the real app (Bolt against the Slack emulator, dynalite store), the
 * real @aws-sdk/client-connect against the Connect fake, outcomes posted as contact-flow events over HTTP,
 * the manual clock moved by hand and the escalation tick called directly.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contactFlowEvent } from '../../src/domain/contact-flow.js';
import { Actions } from '../../src/blocks/ids.js';
import { CONNECT_ERRORS } from '../fakes/connect.js';
import {
  ALICE,
  BOB,
  SECOND,
  SOURCE_PHONE,
  history,
  postContactFlow,
  respond,
  startEscalationHikeshi,
  startPhoneFakes,
  type PhoneFakes,
} from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { captureLogs, type LogCapture } from '../helpers/log-capture.js';
import { openIncident } from '../helpers/open-incident.js';

const CHANNEL = 'C0ALERTS1';
const DEADLINE = 300 * SECOND;
const RETRY = 30 * SECOND;

let fakes: PhoneFakes;
let h: TestHikeshi;
let logs: LogCapture;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  logs = captureLogs();
  h = await startEscalationHikeshi(fakes, { logger: logs.logger, env: { ESCALATION_ROUNDS: '2' } });
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});
beforeEach(() => {
  fakes.connect.dials.length = 0;
});

const tick = () => h.app.services.escalation.tick(h.clock.now());
const dialsFor = (id: string) => fakes.connect.dials.filter((d) => d.attributes['incidentId'] === id);
const threadText = (ts: string) =>
  h.emulator.workspace
    .thread(CHANNEL, ts)
    .map((m) => m.text)
    .join('\n');

describe('phone escalation', () => {
  afterEach(async () => {
    // Each test's incident ends with it, so its chain never rings in the next test.
    for (const incident of await h.app.services.incidents.listOpen()) {
      await h.app.services.incidents.resolve(incident.id, 'U0CLEANUP');
    }
    await h.app.services.escalation.drain();
    await h.app.services.publisher.flush();
  });

  it('calls priority 1 once the deadline has passed, not before', async () => {
    const { id, ts } = await openIncident(h, { title: 'Checkout database down' });
    h.clock.advance(DEADLINE - SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(0);

    h.clock.advance(SECOND);
    await tick();
    const [dial, ...more] = dialsFor(id);
    expect(more).toHaveLength(0);
    expect(dial).toMatchObject({
      instanceId: 'inst-0f2d',
      contactFlowId: 'flow-9c1b',
      sourcePhone: SOURCE_PHONE,
      destinationPhone: ALICE.phone,
      attributes: {
        incidentId: id,
        incidentTitle: 'Checkout database down',
        severity: 'critical',
        responderId: ALICE.userId,
        attempt: '1',
      },
    });
    expect(dial?.clientToken).toMatch(new RegExp(`^hikeshi-${id}-a1-`));
    expect((await h.app.services.escalation.calls(id)).chain).toMatchObject({
      phase: 'ringing',
      attempt: 1,
      contactId: dial?.contactId,
    });
    // The thread says who is being called, with the number masked.
    await expect
      .poll(() => threadText(ts), { timeout: 5000 })
      .toContain(`📞 <@${ALICE.userId}>: calling +81-***-***-0001 (call 1 of 4, round 1 of 2)`);

    // The flow reads the incident aloud.
    const describe = await postContactFlow(
      h.baseUrl,
      contactFlowEvent({ contactId: dial!.contactId, attributes: dial!.attributes, action: 'describe' }),
    );
    expect(describe.status).toBe(200);
    expect(describe.body['message']).toContain('critical incident');
    expect(describe.body['message']).toContain('Checkout database down');
    // A tick while it rings places nothing.
    h.clock.advance(10 * SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(1);
  });

  it('no answer moves to priority 2 after the retry wait; an accept acknowledges and stops the chain', async () => {
    const { id, ts } = await openIncident(h);
    h.clock.advance(DEADLINE);
    await tick();
    const [first] = dialsFor(id);
    expect((await respond(h, first!, 'timeout')).body).toMatchObject({ result: 'no_answer' });
    expect((await h.app.services.escalation.calls(id)).chain).toMatchObject({ phase: 'retry_wait' });

    h.clock.advance(RETRY - SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(1);
    h.clock.advance(SECOND);
    await tick();
    const second = dialsFor(id)[1];
    expect(second).toMatchObject({
      destinationPhone: BOB.phone,
      attributes: { responderId: BOB.userId, attempt: '2' },
    });

    const accepted = await respond(h, second!, '1');
    expect(accepted.body).toMatchObject({ result: 'accepted' });
    expect(String(accepted.body['message'])).toContain('acknowledged by you');
    const incident = await h.app.services.incidents.get(id);
    expect(incident).toMatchObject({ status: 'acknowledged', acknowledgedBy: BOB.userId });
    expect(await h.store.inProgress.get(id)).toMatchObject({ errorId: id, responderId: BOB.userId });
    await expect
      .poll(() => JSON.stringify(h.emulator.workspace.message(CHANNEL, ts)), { timeout: 5000 })
      .toContain(`<@${BOB.userId}>`);
    await expect.poll(() => threadText(ts), { timeout: 5000 }).toContain(`Acknowledged* by <@${BOB.userId}>`);

    // The chain is over: nothing more is ever placed.
    for (let i = 0; i < 5; i += 1) {
      h.clock.advance(5 * 60 * SECOND);
      await tick();
    }
    expect(dialsFor(id)).toHaveLength(2);
    expect((await h.app.services.escalation.calls(id)).chain).toMatchObject({
      phase: 'accepted',
      endedBy: BOB.userId,
    });
  });

  it('an acknowledgement in Slack before the deadline means no call, ever', async () => {
    const { id, ts } = await openIncident(h);
    h.clock.advance(60 * SECOND);
    await h.emulator.actions.clickButton({
      userId: 'U0CAROL01',
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.acknowledge,
    });
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.status).toBe('acknowledged');
    h.clock.advance(3_600 * SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(0);
    expect(await h.app.services.escalation.calls(id)).toEqual({ chain: undefined, records: [] });
  });

  it('an acknowledgement while the phone rings stops the chain at once', async () => {
    const { id, ts } = await openIncident(h);
    h.clock.advance(DEADLINE);
    await tick();
    expect(dialsFor(id)).toHaveLength(1);
    await h.emulator.actions.clickButton({
      userId: 'U0CAROL01',
      channelId: CHANNEL,
      messageTs: ts,
      actionId: Actions.acknowledge,
    });
    await expect
      .poll(async () => (await h.app.services.escalation.calls(id)).chain?.phase, { timeout: 5000 })
      .toBe('stopped');
    // The ringing call's late "no answer" moves nothing, and no call follows.
    await respond(h, dialsFor(id)[0]!, 'timeout');
    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(3 * 60 * SECOND);
      await tick();
    }
    expect(dialsFor(id)).toHaveLength(1);
    await expect
      .poll(() => threadText(ts), { timeout: 5000 })
      .toContain('phone escalation stopped: acknowledged');
  });

  it('rounds exhaust into "nobody answered" with <!channel> in the thread and a Chatwork notice', async () => {
    const { id, ts } = await openIncident(h, { title: 'Everything is on fire' });
    h.clock.advance(DEADLINE);
    await tick();
    // Call 1: declined; 2: no key pressed; 3: the flow never answers (timeout); 4: declined.
    await respond(h, dialsFor(id)[0]!, '2');
    h.clock.advance(RETRY);
    await tick();
    await respond(h, dialsFor(id)[1]!, '');
    h.clock.advance(RETRY);
    await tick();
    h.clock.advance(120 * SECOND);
    await tick();
    h.clock.advance(RETRY);
    await tick();
    expect(dialsFor(id).map((d) => d.destinationPhone)).toEqual([
      ALICE.phone,
      BOB.phone,
      ALICE.phone,
      BOB.phone,
    ]);
    await respond(h, dialsFor(id)[3]!, '2');

    expect((await h.app.services.escalation.calls(id)).chain).toMatchObject({ phase: 'exhausted' });
    expect((await history(h, id)).map((r) => r.event)).toEqual([
      'started',
      'declined',
      'started',
      'no_answer',
      'started',
      'timeout',
      'started',
      'declined',
      'exhausted',
    ]);
    await expect
      .poll(() => threadText(ts), { timeout: 5000 })
      .toContain('<!channel> 🚨 Nobody answered the phone');
    await expect
      .poll(() => fakes.chatwork.messages.map((m) => m.body).join('\n'), { timeout: 5000 })
      .toContain(`Nobody answered the phone for ${id}`);
    const notice = fakes.chatwork.messages.at(-1)?.body ?? '';
    expect(notice).toContain('ESCALATION_EXHAUSTED');
    expect(notice).toContain('+81-***-***-0001');
    expect(notice).not.toContain(ALICE.phone);

    h.clock.advance(3_600 * SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(4);
  });

  it('a call that fails to start counts as no answer, with its error classified, and moves on', async () => {
    fakes.connect.failFor(ALICE.phone, CONNECT_ERRORS.notAllowed);
    try {
      const { id } = await openIncident(h);
      h.clock.advance(DEADLINE);
      await tick();
      expect(dialsFor(id)).toHaveLength(0);
      expect(await history(h, id)).toEqual([
        expect.objectContaining({
          event: 'failed',
          attempt: 1,
          errorKind: 'INVALID_NUMBER',
          phone: '+81-***-***-0001',
        }),
      ]);
      expect((await h.app.services.escalation.calls(id)).chain).toMatchObject({ phase: 'retry_wait' });
      h.clock.advance(RETRY);
      await tick();
      expect(dialsFor(id).map((d) => d.destinationPhone)).toEqual([BOB.phone]);
    } finally {
      fakes.connect.failFor(ALICE.phone, undefined);
    }
  });

  it('keeps history rows for HISTORY_TTL_DAYS, and /incident calls shows them masked', async () => {
    const { id } = await openIncident(h);
    h.clock.advance(DEADLINE);
    await tick();
    await respond(h, dialsFor(id)[0]!, '2');
    const { Item } = await h.store.doc.send(
      new GetCommand({ TableName: h.store.tables.callHistory, Key: { errorId: id }, ConsistentRead: true }),
    );
    expect(Item?.['ttl']).toBe(Math.floor(h.clock.now() / 1000) + 30 * 86_400);
    expect(Item?.['attempts']).toHaveLength(2);

    await h.emulator.actions.runCommand({
      userId: ALICE.userId,
      channelId: CHANNEL,
      command: '/incident',
      text: `calls ${id}`,
    });
    await expect
      .poll(() => h.emulator.workspace.ephemerals.map((e) => JSON.stringify(e)).join('\n'), { timeout: 5000 })
      .toContain(`Phone calls for ${id}`);
    const reply = h.emulator.workspace.ephemerals.filter((e) =>
      JSON.stringify(e).includes(`Phone calls for ${id}`),
    );
    const shown = JSON.stringify(reply);
    expect(shown).toContain('+81-***-***-0001');
    expect(shown).toContain('declined');
    expect(shown).not.toContain('9012340001');
  });

  it('refuses contact-flow events without the token, and names a malformed field', async () => {
    const { id } = await openIncident(h);
    const event = contactFlowEvent({
      contactId: 'c-x',
      attributes: { incidentId: id },
      action: 'response',
      response: '1',
    });
    const before = h.emulator.workspace.postCalls().length;
    expect((await postContactFlow(h.baseUrl, event, null)).status).toBe(401);
    expect((await postContactFlow(h.baseUrl, event, 'wrong-token')).status).toBe(401);
    const malformed = await postContactFlow(h.baseUrl, { Details: { ContactData: {} } });
    expect(malformed).toMatchObject({ status: 400, body: { field: 'Details.ContactData.ContactId' } });
    expect((await postContactFlow(h.baseUrl, '{not json')).status).toBe(400);
    // An unknown call changes nothing.
    expect((await postContactFlow(h.baseUrl, event)).body).toMatchObject({ result: 'ignored' });
    expect((await h.app.services.incidents.get(id))?.status).toBe('triggered');
    expect(await history(h, id)).toEqual([]);
    expect(h.emulator.workspace.postCalls().length).toBe(before);
  });

  it('never logs a full phone number', () => {
    const text = logs.text();
    expect(text).toContain('call placed');
    for (const phone of [ALICE.phone, BOB.phone, SOURCE_PHONE]) {
      expect(text).not.toContain(phone.slice(1));
    }
  });
});
