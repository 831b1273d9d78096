/**
 * Issue 7, "never twice": concurrent ticks in one process, two processes on one store, a restart in the
 * middle of a chain, and a crash between recording a call and learning its ContactId. The Connect fake
 * counts real rings (`dials`) separately from requests, and honours ClientToken idempotency like Connect.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import {
  ALICE,
  BOB,
  SECOND,
  history,
  respond,
  startEscalationHikeshi,
  startPeer,
  startPhoneFakes,
  type PhoneFakes,
} from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { openIncident } from '../helpers/open-incident.js';

const DEADLINE = 300 * SECOND;

let fakes: PhoneFakes;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  h = await startEscalationHikeshi(fakes);
});
afterAll(async () => {
  await h.close();
  await fakes.close();
});
beforeEach(() => {
  fakes.connect.dials.length = 0;
});
afterEach(async () => {
  // Each test's incident ends with it, so its chain never rings in the next test.
  for (const incident of await h.app.services.incidents.listOpen()) {
    await h.app.services.incidents.resolve(incident.id, 'U0CLEANUP');
  }
  await h.app.services.escalation.drain();
});

const dialsFor = (id: string) => fakes.connect.dials.filter((d) => d.attributes['incidentId'] === id);

describe('never two chains, never two calls', () => {
  it('10 concurrent ticks start exactly one chain and place one call, then one next call', async () => {
    const { id } = await openIncident(h);
    h.clock.advance(DEADLINE);
    const tick = () => h.app.services.escalation.tick(h.clock.now());
    const summaries = await Promise.all(Array.from({ length: 10 }, tick));
    expect(summaries.filter((s) => s.start === 1)).toHaveLength(1);
    expect(dialsFor(id)).toHaveLength(1);
    expect((await history(h, id)).filter((r) => r.event === 'started')).toHaveLength(1);

    await respond(h, dialsFor(id)[0]!, 'timeout');
    h.clock.advance(30 * SECOND);
    await Promise.all(Array.from({ length: 10 }, tick));
    expect(dialsFor(id).map((d) => d.destinationPhone)).toEqual([ALICE.phone, BOB.phone]);
  });

  it('two app instances sharing one store place one call between them', async () => {
    const peer = await startPeer(h, fakes);
    try {
      const { id } = await openIncident(h);
      h.clock.advance(DEADLINE);
      const ticks = [h.app.services.escalation, peer.services.escalation].flatMap((service) =>
        Array.from({ length: 5 }, () => service.tick(h.clock.now())),
      );
      await Promise.all(ticks);
      expect(dialsFor(id)).toHaveLength(1);
      expect((await history(h, id)).filter((r) => r.event === 'started')).toHaveLength(1);
    } finally {
      await peer.stop();
    }
  });

  it('a restart in the middle of a chain places no duplicate call and carries on', async () => {
    const { id } = await openIncident(h);
    h.clock.advance(DEADLINE);
    let before: HikeshiApp | undefined = await startPeer(h, fakes);
    await before.services.escalation.tick(h.clock.now());
    expect(dialsFor(id)).toHaveLength(1);
    // The process goes away while the phone rings…
    await before.stop();
    before = undefined;
    // …and a new one takes over the same store.
    const after = await startPeer(h, fakes);
    try {
      h.clock.advance(60 * SECOND);
      await after.services.escalation.tick(h.clock.now());
      expect(dialsFor(id)).toHaveLength(1);
      // The unanswered call times out (120 s) and the chain moves on, once.
      h.clock.advance(60 * SECOND);
      await after.services.escalation.tick(h.clock.now());
      h.clock.advance(30 * SECOND);
      await Promise.all([
        after.services.escalation.tick(h.clock.now()),
        h.app.services.escalation.tick(h.clock.now()),
      ]);
      expect(dialsFor(id).map((d) => d.destinationPhone)).toEqual([ALICE.phone, BOB.phone]);
    } finally {
      await after.stop();
    }
  });

  it('a crash between recording a call and storing its ContactId never dials twice', async () => {
    const { id } = await openIncident(h);
    h.clock.advance(DEADLINE);
    await h.app.services.escalation.tick(h.clock.now());
    const [dial] = dialsFor(id);
    expect(dial).toBeDefined();
    // What the store looks like if the process died right after StartOutboundVoiceContact was sent: the
    // attempt is recorded as `calling`, its ContactId never written.
    expect(
      await h.store.callStatus.update(
        id,
        { state: 'calling', contactId: undefined },
        { expectedState: 'ringing' },
      ),
    ).toBe(true);
    const requestsFor = () => fakes.connect.received.filter((r) => r.attributes['incidentId'] === id);
    const requests = requestsFor().length;

    const after = await startPeer(h, fakes);
    try {
      h.clock.advance(10 * SECOND);
      await after.services.escalation.tick(h.clock.now());
      expect(requestsFor()).toHaveLength(requests); // within the lease: the start may still be under way
      h.clock.advance(30 * SECOND);
      await after.services.escalation.tick(h.clock.now());
      // The start was sent again with the same ClientToken: Connect answered the same contact, rang nobody.
      expect(requestsFor()).toHaveLength(requests + 1);
      expect(new Set(requestsFor().map((r) => r.clientToken)).size).toBe(1);
      expect(dialsFor(id)).toHaveLength(1);
      expect((await after.services.escalation.calls(id)).chain).toMatchObject({
        phase: 'ringing',
        attempt: 1,
        contactId: dial?.contactId,
      });
      expect((await history(h, id)).filter((r) => r.event === 'started')).toHaveLength(1);
      // And the responder's answer on that call counts.
      expect((await respond(h, dial!, '1')).body).toMatchObject({ result: 'accepted' });
      expect((await h.app.services.incidents.get(id))?.acknowledgedBy).toBe(ALICE.userId);
    } finally {
      await after.stop();
    }
  });

  it('a late accept from an earlier call still takes the incident, and stops the chain', async () => {
    const { id } = await openIncident(h);
    h.clock.advance(DEADLINE);
    const tick = () => h.app.services.escalation.tick(h.clock.now());
    await tick();
    h.clock.advance(120 * SECOND); // Alice's call times out
    await tick();
    h.clock.advance(30 * SECOND);
    await tick();
    expect(dialsFor(id)).toHaveLength(2);
    // Alice picks up her (earlier) call after all and presses 1 while Bob's phone rings.
    expect((await respond(h, dialsFor(id)[0]!, '1')).body).toMatchObject({ result: 'accepted' });
    expect((await h.app.services.incidents.get(id))?.acknowledgedBy).toBe(ALICE.userId);
    // Bob pressing 1 afterwards is told it is taken.
    expect((await respond(h, dialsFor(id)[1]!, '1')).body).toMatchObject({ result: 'ignored' });
    expect((await history(h, id)).map((r) => `${r.event}${r.late === true ? ' (late)' : ''}`)).toEqual([
      'started',
      'timeout',
      'started',
      'accepted (late)',
      'accepted (late)',
    ]);
  });
});
