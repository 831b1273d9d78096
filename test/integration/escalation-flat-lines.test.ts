/**
 * Issue 19, one person, one phone, for the flat list too: two incidents escalating together never ring the same
 * person twice at once (the second waits for the line, then calls in the flat list's own order), and a policy's
 * phone step waits while the flat list has the person on the phone. The real app and dynalite store, the real
 * Connect client against the Connect fake, outcomes posted as contact-flow events over HTTP, the manual clock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE as ALICE_ENTRY,
  BOB as BOB_ENTRY,
  SECOND,
  respond,
  startPhoneFakes,
  type PhoneFakes,
} from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import {
  ALICE,
  MINUTE,
  WEDNESDAY_NOON,
  alertmanagerAlert,
  openedId,
  postAlertmanager,
  startWithPolicies,
  type PolicyHikeshi,
} from '../helpers/policies.js';

/** ESCALATE_AFTER_SECONDS and CALL_RETRY_SECONDS as the defaults have them. */
const DEADLINE = 300 * SECOND;
const RETRY = 30 * SECOND;

let fakes: PhoneFakes;
let running: PolicyHikeshi;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  running = await startWithPolicies(fakes, { env: { ESCALATION_ROUNDS: '2' } });
  h = running.h;
  await h.app.services.oncall.replace([ALICE_ENTRY, BOB_ENTRY]);
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
  await h.app.services.escalation.drain();
  await h.app.services.policyEscalation.drain();
  h.clock.advance(30 * MINUTE);
  await ticks();
});

/** One scheduler tick: the policies' (with the phone lines), then the flat list's. */
async function ticks() {
  await h.app.services.policyEscalation.drain();
  await h.app.services.policyEscalation.tick(h.clock.now());
  await h.app.services.policyEscalation.drain();
  await h.app.services.escalation.tick(h.clock.now());
  await h.app.services.escalation.drain();
}
/** Who was dialled, in order, as `incident→phone` (a line's call names its incidents). */
const dialled = () =>
  fakes.connect.dials.map(
    (d) => `${d.attributes['incidentIds'] ?? d.attributes['incidentId']}→${d.destinationPhone}`,
  );
const open = async (labels: Record<string, string>, summary: string) =>
  openedId(await postAlertmanager(h, alertmanagerAlert(labels, summary)));

describe('the flat list, one call per person', () => {
  it('two incidents escalating together call Alice one after the other, each in the list’s order', async () => {
    // No route matches team=web: both follow the flat list (Alice, then Bob, twice).
    const first = await open({ team: 'web' }, 'Checkout 502');
    h.clock.advance(SECOND);
    const second = await open({ team: 'web' }, 'Cart 502');
    h.clock.advance(DEADLINE);
    await ticks();
    // Both chains are due; Alice's phone rings once, for the first.
    expect(dialled()).toEqual([`${first}→${ALICE_ENTRY.phone}`]);
    expect(await h.app.services.escalation.calls(second)).toMatchObject({ chain: undefined });
    await ticks();
    expect(fakes.connect.dials).toHaveLength(1);

    // Alice declines the first: her line is free, and the second's chain starts with her (priority 1).
    expect((await respond(h, fakes.connect.dials[0]!, '2')).body['result']).toBe('declined');
    await ticks();
    expect(dialled()).toEqual([`${first}→${ALICE_ENTRY.phone}`, `${second}→${ALICE_ENTRY.phone}`]);

    // The first moves on to Bob after the retry wait, as it always has; Alice is not rung again meanwhile.
    h.clock.advance(RETRY);
    await ticks();
    expect(dialled()).toEqual([
      `${first}→${ALICE_ENTRY.phone}`,
      `${second}→${ALICE_ENTRY.phone}`,
      `${first}→${BOB_ENTRY.phone}`,
    ]);
    // Alice takes the second; Bob's call for the first carries on, and the second is over.
    expect((await respond(h, fakes.connect.dials[1]!, '1')).body['result']).toBe('accepted');
    expect((await h.app.services.incidents.get(second))?.acknowledgedBy).toBe(ALICE);
    expect((await h.app.services.escalation.calls(first)).chain).toMatchObject({
      phase: 'ringing',
      attempt: 2,
    });
  });

  it('a policy’s phone step waits while the flat list has the person on the phone', async () => {
    const flat = await open({ team: 'web' }, 'Search 500');
    h.clock.advance(DEADLINE);
    await ticks();
    expect(dialled()).toEqual([`${flat}→${ALICE_ENTRY.phone}`]);
    // team=ops pages this week's primary, Alice, by phone at once: her line is busy with the flat list's call.
    const paged = await open({ team: 'ops' }, 'Queue D stuck');
    await h.app.services.policyEscalation.drain();
    await ticks();
    expect(fakes.connect.dials).toHaveLength(1);
    // The flat call goes unanswered: the line is free, and the page is called at the next tick.
    expect((await respond(h, fakes.connect.dials[0]!, 'timeout')).body['result']).toBe('no_answer');
    await ticks();
    expect(dialled()).toEqual([`${flat}→${ALICE_ENTRY.phone}`, `${paged}→${ALICE_ENTRY.phone}`]);
    // The flat chain moves on to Bob; Alice, on the policy's call, is left alone.
    h.clock.advance(RETRY);
    await ticks();
    expect(dialled().at(-1)).toBe(`${flat}→${BOB_ENTRY.phone}`);
    expect(fakes.connect.dials.filter((d) => d.destinationPhone === ALICE_ENTRY.phone)).toHaveLength(2);
  });
});
