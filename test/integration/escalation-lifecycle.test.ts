/**
 * Issue 20 and phone escalation: a reopened incident earns a chain of its own (new ClientTokens, an InProgress
 * claim of the earlier episode no obstacle), a flapping reopen starts none, a snooze holds the chain back until it
 * ends, and a new firing of higher severity ends the snooze. The real app against the Connect fake; alerts over
 * `POST /api/alerts`, snoozes through the emulator's slash command; the manual clock moved by hand.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALERT_CHANNEL, post } from '../helpers/alerts.js';
import {
  ALICE,
  SECOND,
  respond,
  startEscalationHikeshi,
  startPeer,
  startPhoneFakes,
  type PhoneFakes,
} from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';

const TOKEN = 'escalation-lifecycle-token-19ab';
const DEADLINE = 300 * SECOND;
const MIN = 60 * SECOND;

let fakes: PhoneFakes;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  h = await startEscalationHikeshi(fakes, { env: { ALERTS_API_TOKEN: TOKEN, ESCALATION_ROUNDS: '1' } });
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});
beforeEach(() => {
  fakes.connect.dials.length = 0;
});
afterEach(async () => {
  for (const incident of await h.app.services.incidents.listOpen()) {
    await h.app.services.incidents.resolve(incident.id, 'U0CLEANUP');
  }
  await h.app.services.escalation.drain();
  await h.app.services.publisher.flush();
});

const tick = () => h.app.services.escalation.tick(h.clock.now());
const dialsFor = (id: unknown) => fakes.connect.dials.filter((d) => d.attributes['incidentId'] === id);
const send = (body: Record<string, unknown>) => post(`${h.baseUrl}/api/alerts`, body, { token: TOKEN });
const fire = (key: string, severity = 'critical') =>
  send({ title: `Checkout down [${key}]`, dedup_key: key, severity });
const resolve = async (key: string) => {
  await send({ dedup_key: key, status: 'resolved' });
  await h.app.services.escalation.drain();
};

describe('escalation across reopens', () => {
  it('a reopen earns its own chain after its own deadline, with new ClientTokens', async () => {
    const id = (await fire('esc-reopen')).body['incident_id'];
    h.clock.advance(DEADLINE);
    await tick();
    const [first] = dialsFor(id);
    expect(first?.destinationPhone).toBe(ALICE.phone);
    await resolve('esc-reopen');

    const again = await fire('esc-reopen');
    expect(again.body).toMatchObject({ incident_id: id, reopened: true });
    h.clock.advance(DEADLINE - SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(1);
    h.clock.advance(SECOND);
    await tick();
    const [, second, ...more] = dialsFor(id);
    expect(more).toHaveLength(0);
    expect(second?.destinationPhone).toBe(ALICE.phone);
    // Connect treats a repeated ClientToken as the same call: the reopen's must be new, or the phone never rings.
    expect(second?.clientToken).not.toBe(first?.clientToken);
    expect((await h.app.services.escalation.calls(String(id))).chain).toMatchObject({ phase: 'ringing' });
  });

  it('a call accepted before the resolve does not stop the reopen from being phoned', async () => {
    const id = (await fire('esc-owned')).body['incident_id'];
    h.clock.advance(DEADLINE);
    await tick();
    expect((await respond(h, dialsFor(id)[0]!, '1')).body).toMatchObject({ result: 'accepted' });
    await expect
      .poll(async () => (await h.app.services.incidents.get(String(id)))?.status)
      .toBe('acknowledged');
    await resolve('esc-owned');

    h.clock.advance(MIN);
    await fire('esc-owned');
    h.clock.advance(DEADLINE);
    await tick();
    expect(dialsFor(id)).toHaveLength(2);
  });

  it('a flapping reopen starts no phone chain', async () => {
    const id = (await fire('esc-flap')).body['incident_id'];
    for (let reopen = 1; reopen <= 3; reopen += 1) {
      await resolve('esc-flap');
      h.clock.advance(MIN);
      expect((await fire('esc-flap')).body).toMatchObject({ incident_id: id, reopened: true });
    }
    expect((await h.app.services.incidents.get(String(id)))?.flapping).toBe(true);
    h.clock.advance(DEADLINE * 3);
    await tick();
    expect(dialsFor(id)).toHaveLength(0);
  });
});

describe('snooze', () => {
  const command = (text: string) =>
    h.emulator.actions.runCommand({
      userId: ALICE.userId,
      channelId: ALERT_CHANNEL,
      command: '/incident',
      text,
    });

  it('holds the chain back until the snooze ends; the snooze is stored, so another process (a restart) honours it', async () => {
    const id = String((await fire('esc-snooze')).body['incident_id']);
    await command(`snooze ${id} 30m`);
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.snoozedUntil).toBeDefined();
    const restarted = await startPeer(h, fakes, { env: { ESCALATION_ROUNDS: '1' } });
    try {
      const tickThere = () => restarted.services.escalation.tick(h.clock.now());
      h.clock.advance(DEADLINE);
      await tickThere();
      expect(dialsFor(id)).toHaveLength(0);
      h.clock.advance(30 * MIN - DEADLINE - SECOND);
      await tickThere();
      expect(dialsFor(id)).toHaveLength(0);
      h.clock.advance(SECOND);
      await tickThere();
      expect(dialsFor(id)).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  });

  it('a new firing of higher severity ends the snooze', async () => {
    const id = String((await fire('esc-raise', 'warning')).body['incident_id']);
    await command(`snooze ${id} 2h`);
    await expect.poll(async () => (await h.app.services.incidents.get(id))?.snoozedUntil).toBeDefined();
    const raised = await fire('esc-raise', 'critical');
    expect(raised.body).toMatchObject({ incident_id: id, deduplicated: true });
    const incident = await h.app.services.incidents.get(id);
    expect(incident).toMatchObject({ severity: 'critical' });
    expect(incident?.snoozedUntil).toBeUndefined();
    h.clock.advance(DEADLINE);
    await tick();
    expect(dialsFor(id)).toHaveLength(1);
  });
});
