/**
 * Issue 19, one person, one phone, and restarts: three incidents at once make one call that "1" acknowledges in
 * full; a busy line is not called again until it is free; someone added to the flat list during a chain is called
 * at the next step; a restart mid-policy resumes at the same step without a second call. The real app, store and
 * Connect client against the Connect fake, the manual clock, signed Slack requests.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import { contactFlowEvent } from '../../src/domain/contact-flow.js';
import { advanceChain, claimStep } from '../../src/domain/policy-chain.js';
import { createEscalationsRepository } from '../../src/store/escalations-repository.js';
import {
  postContactFlow,
  respond,
  startPeer,
  startPhoneFakes,
  type PhoneFakes,
} from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { ephemeralTexts } from '../helpers/oncall.js';
import {
  ALICE,
  BOB,
  MINUTE,
  TOKEN,
  WEDNESDAY_NOON,
  alertmanagerAlert,
  openedId,
  postAlertmanager,
  setOwnPhone,
  startWithPolicies,
  type PolicyHikeshi,
} from '../helpers/policies.js';

const ALICE_PHONE = '+819012340001';
const BOB_PHONE = '+819012340002';

let fakes: PhoneFakes;
let running: PolicyHikeshi;
let h: TestHikeshi;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  running = await startWithPolicies(fakes);
  h = running.h;
  await setOwnPhone(h, ALICE, '+81 90-1234-0001');
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
  h.clock.advance(30 * MINUTE);
  await tickOn(h.app);
});

async function tickOn(app: HikeshiApp) {
  await app.services.policyEscalation.drain();
  const summary = await app.services.policyEscalation.tick(h.clock.now());
  await app.services.policyEscalation.drain();
  return summary;
}
const tick = () => tickOn(h.app);
const dialsTo = (phone: string) => fakes.connect.dials.filter((d) => d.destinationPhone === phone);
async function openOps(summary: string): Promise<string> {
  const id = openedId(await postAlertmanager(h, alertmanagerAlert({ team: 'ops' }, summary)));
  await h.app.services.policyEscalation.drain();
  return id;
}

describe('one person, one phone', () => {
  it('three incidents at once make one call, and "1" acknowledges all three', async () => {
    const ids = [
      await openOps('Queue A stuck'),
      await openOps('Queue B stuck'),
      await openOps('Queue C stuck'),
    ];
    await tick();
    expect(dialsTo(ALICE_PHONE)).toHaveLength(1);
    const [dial] = dialsTo(ALICE_PHONE);
    expect(dial?.attributes['incidentIds']?.split(',').sort()).toEqual([...ids].sort());
    const described = await postContactFlow(
      h.baseUrl,
      contactFlowEvent({ contactId: dial!.contactId, attributes: dial!.attributes, action: 'describe' }),
    );
    expect(described.body['message']).toContain('3 incidents need you');
    const answered = await respond(h, dial!, '1');
    expect(answered.body).toMatchObject({ result: 'accepted' });
    expect(answered.body['message']).toContain('3 incidents are now acknowledged by you');
    for (const id of ids) {
      expect((await h.app.services.incidents.get(id))?.status).toBe('acknowledged');
      expect((await h.app.services.incidents.get(id))?.acknowledgedBy).toBe(ALICE);
    }
    h.clock.advance(20 * MINUTE);
    await tick();
    expect(fakes.connect.dials).toHaveLength(1);
  });

  it('a person on a busy line is not called for another incident until the line is free', async () => {
    const first = await openOps('Disk full on db-1');
    await tick();
    expect(dialsTo(ALICE_PHONE)).toHaveLength(1);
    h.clock.advance(MINUTE);
    const second = await openOps('Disk full on db-2');
    await tick();
    // Alice is on the phone about the first one: no second call.
    expect(dialsTo(ALICE_PHONE)).toHaveLength(1);
    await respond(h, dialsTo(ALICE_PHONE)[0]!, '2');
    expect((await h.app.services.incidents.get(first))?.status).toBe('triggered');
    await tick();
    expect(dialsTo(ALICE_PHONE)).toHaveLength(2);
    expect(dialsTo(ALICE_PHONE)[1]?.attributes['incidentIds']).toBe(second);
  });
});

describe('targets resolved when each step starts', () => {
  it('someone added to the flat list during a chain is called at the next step, with a changed priority said', async () => {
    await h.app.services.oncall.replace([{ userId: ALICE, phone: ALICE_PHONE, priority: 1 }]);
    const id = openedId(await postAlertmanager(h, alertmanagerAlert({ team: 'flat' }, 'Billing job stuck')));
    await h.app.services.policyEscalation.drain();
    await tick();
    expect(dialsTo(ALICE_PHONE)).toHaveLength(1);
    expect(dialsTo(BOB_PHONE)).toHaveLength(0);
    await respond(h, dialsTo(ALICE_PHONE)[0]!, 'timeout');
    // Bob is added in Slack (national format, priority 5 of a list of 2 → 2) during the chain.
    const before = ephemeralTexts(h, ALICE).length;
    await h.emulator.actions.runCommand({
      userId: ALICE,
      channelId: 'C0ALERTS1',
      command: '/oncall',
      text: `add <@${BOB}> 090-1234-0002 5`,
    });
    await expect.poll(() => ephemeralTexts(h, ALICE).length, { timeout: 5000 }).toBeGreaterThan(before);
    expect(ephemeralTexts(h, ALICE).at(-1)).toContain('priority 5 → 2');
    expect(ephemeralTexts(h, ALICE).at(-1)).toContain('+81-***-***-0002');
    h.clock.advance(5 * MINUTE);
    await tick();
    expect(dialsTo(BOB_PHONE)).toHaveLength(1);
    expect(dialsTo(BOB_PHONE)[0]?.attributes['incidentIds']).toBe(id);
  });
});

describe('restart mid-policy', () => {
  it('resumes at the same step and places no duplicate call', async () => {
    const env = { ...fakes.env, ONCALL_CONFIG: running.file.path, ALERTS_API_TOKEN: TOKEN };
    const before = await startPeer(h, fakes, { env });
    const id = openedId(
      await postAlertmanager(h, alertmanagerAlert({ team: 'payments' }, 'Refunds failing')),
    );
    await h.app.services.policyEscalation.drain();
    await tickOn(before); // step 1 (Slack) in the process that is about to die
    h.clock.advance(5 * MINUTE);
    // It dies in step 2, after claiming Alice's call and paging her line, before finishing the step.
    const store = createEscalationsRepository({
      doc: h.store.doc,
      tableName: h.store.tables.escalations,
      clock: h.clock,
      keepDays: 30,
    });
    const policy = h.app.services.oncallConfig.current().escalationPolicies.find((p) => p.id === 'payments');
    const waiting = await store.chain(id);
    const second = advanceChain(waiting!, policy!, h.clock.now());
    expect(await store.saveChain(second, waiting!.version)).toBe(true);
    const claimed = claimStep(second, h.clock.now());
    expect(await store.saveChain(claimed, second.version)).toBe(true);
    expect(await store.claimNotification(id, claimed.version, `phone:${ALICE}`)).toBe(true);
    await store.page(ALICE, id, h.clock.now());
    await tickOn(before); // its line places the call (the step itself is still `notifying`, under its lease)
    expect(dialsTo(ALICE_PHONE)).toHaveLength(1);
    await before.stop();

    // The restarted process (and a second one racing it) resumes step 2 once the lease is over: one call.
    h.clock.advance(MINUTE);
    const other = await startPeer(h, fakes, { env });
    await Promise.all([tick(), tickOn(other)]);
    expect(await h.app.services.policyEscalation.chain(id)).toMatchObject({ phase: 'waiting', step: 1 });
    // Alice's call ends unanswered: the resumed step left no second page, so nothing calls her again.
    await respond(h, dialsTo(ALICE_PHONE)[0]!, 'timeout');
    await Promise.all([tick(), tickOn(other)]);
    expect(dialsTo(ALICE_PHONE)).toHaveLength(1);
    await other.stop();
  });
});
