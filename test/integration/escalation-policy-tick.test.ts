/**
 * Issue 19 follow-up, the policy tick at scale and after a crash: many chains due in one tick each take their first
 * step exactly once, even with two processes ticking together; and the sweep starts, exactly once, the chain of an
 * incident whose opener stored it and died before creating the chain. The real app, a second app on the same
 * dynalite store, the Slack emulator, the Connect fake and the manual clock.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HikeshiApp } from '../../src/app.js';
import type { AlertSignal } from '../../src/domain/alert.js';
import type { PolicyTickSummary } from '../../src/services/policy-escalation.js';
import { SWEEP_AFTER_MS } from '../../src/services/policy-sweep.js';
import { startPeer, startPhoneFakes, type PhoneFakes } from '../helpers/escalation.js';
import type { TestHikeshi } from '../helpers/hikeshi.js';
import { dms } from '../helpers/oncall.js';
import {
  ALICE,
  MINUTE,
  TOKEN,
  WEDNESDAY_NOON,
  startWithPolicies,
  type PolicyHikeshi,
} from '../helpers/policies.js';

let fakes: PhoneFakes;
let running: PolicyHikeshi;
let h: TestHikeshi;
let peer: HikeshiApp;

beforeAll(async () => {
  fakes = await startPhoneFakes();
  // No Chatwork: forty critical incidents would each send a notice, paced at Chatwork's ten per ten seconds.
  const env = Object.fromEntries(Object.entries(fakes.env).filter(([name]) => !name.startsWith('CHATWORK_')));
  running = await startWithPolicies({ ...fakes, env });
  h = running.h;
  peer = await startPeer(
    h,
    { ...fakes, env },
    {
      env: { ONCALL_CONFIG: running.file.path, ALERTS_API_TOKEN: TOKEN },
    },
  );
});
afterAll(async () => {
  await peer?.stop();
  await running?.close();
  await fakes?.close();
});
beforeEach(() => {
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

async function tickOn(app: HikeshiApp): Promise<PolicyTickSummary> {
  await app.services.policyEscalation.drain();
  const summary = await app.services.policyEscalation.tick(h.clock.now());
  await app.services.policyEscalation.drain();
  return summary;
}
/** Both processes tick at once, as two servers (or Lambda invocations) do; their summaries added up. */
async function tickBoth(): Promise<PolicyTickSummary> {
  const summaries = await Promise.all([tickOn(h.app), tickOn(peer)]);
  const total: PolicyTickSummary = {};
  for (const summary of summaries) {
    for (const [key, n] of Object.entries(summary) as [keyof PolicyTickSummary, number][]) {
      total[key] = (total[key] ?? 0) + n;
    }
  }
  return total;
}

/** A payments alert (route → policy `payments`: step 1 is a Slack DM to this week's primary, Alice). */
const paymentsAlert = (n: number): AlertSignal => ({
  action: 'trigger',
  title: `Payments worker ${n} stuck`,
  severity: 'critical',
  source: 'alertmanager',
  dedupKey: `tick-test-${n}-${h.clock.now()}`,
  details: { team: 'payments' },
  links: [],
});

/** Opens a payments incident through `app`'s intake (as an alert would); its id. */
async function openOn(app: HikeshiApp, n: number): Promise<string> {
  const outcome = await app.services.incidents.ingest(paymentsAlert(n));
  if (!('incident' in outcome)) throw new Error(`alert ${n} was ignored: ${outcome.reason}`);
  return outcome.incident.id;
}

/** Alice's DMs about the incident (its id followed by " needs you"). */
const dmsAbout = (id: string) => dms(h, ALICE).filter((m) => m.text.includes(`${id} needs you`));
/** The step notes in the incident's thread, whichever process posted them. */
async function threadNotes(id: string): Promise<number> {
  await Promise.all([h.app.services.publisher.flush(), peer.services.publisher.flush()]);
  const slack = (await h.app.services.incidents.get(id))?.slack;
  if (slack === undefined) return 0;
  return h.emulator.workspace
    .thread(slack.channel, slack.ts)
    .filter((m) => m.text.includes('Policy payments, step 1')).length;
}

describe('the policy tick', () => {
  it('starts many due chains in one tick, each exactly once, with two processes ticking together', async () => {
    // More than the tick's 32 chains at a time, so its bounded pool is exercised too.
    const COUNT = 40;
    const ids: string[] = [];
    for (let n = 0; n < COUNT; n += 1) {
      // Four a minute: below the storm digest's threshold, so each incident has a thread of its own.
      h.clock.advance(15_000);
      ids.push(await openOn(h.app, n));
    }
    await h.app.services.policyEscalation.drain();
    const summary = await tickBoth();
    expect(summary.start).toBe(COUNT);
    expect(summary.failed).toBeUndefined();
    for (const id of ids) {
      expect(await h.app.services.policyEscalation.chain(id)).toMatchObject({ phase: 'waiting', step: 0 });
      expect(dmsAbout(id)).toHaveLength(1);
      expect(await threadNotes(id)).toBe(1);
    }
    // Nothing is due again until the step's wait is over.
    expect(await tickBoth()).toEqual({});
    expect(ids.flatMap(dmsAbout)).toHaveLength(COUNT);
  }, 60_000);
});

describe('the sweep for chains never started', () => {
  it('starts, once, the chain of an incident stored by a process that died before creating it', async () => {
    // The peer stores incidents but never hears its own `opened` events: it "dies" right after each write.
    peer.services.policyEscalation.close();
    const lost = await openOn(peer, 1);
    const taken = await openOn(peer, 2);
    expect(await h.app.services.policyEscalation.chain(lost)).toBeUndefined();
    // Acknowledged meanwhile: it needs no chain any more, and the sweep starts none.
    await h.app.services.incidents.acknowledge(taken, ALICE);

    // Before the sweep's delay the marker waits (the opener may still be creating the chain).
    expect(await tickOn(h.app)).toEqual({});
    expect(await h.app.services.policyEscalation.chain(lost)).toBeUndefined();

    h.clock.advance(SWEEP_AFTER_MS);
    const summary = await tickBoth();
    expect(summary).toMatchObject({ swept: 1, start: 1 });
    expect(await h.app.services.policyEscalation.chain(lost)).toMatchObject({ phase: 'waiting', step: 0 });
    expect(await h.app.services.policyEscalation.chain(taken)).toBeUndefined();
    expect(dmsAbout(lost)).toHaveLength(1);
    expect(dmsAbout(taken)).toHaveLength(0);

    // The markers are gone: later ticks sweep nothing.
    h.clock.advance(MINUTE);
    expect(await tickBoth()).toEqual({});
    expect(dmsAbout(lost)).toHaveLength(1);
  });

  it('leaves no marker behind when the chain was started as usual', async () => {
    const id = await openOn(h.app, 3);
    await h.app.services.policyEscalation.drain();
    expect(await tickOn(h.app)).toMatchObject({ start: 1 });
    h.clock.advance(SWEEP_AFTER_MS);
    expect(await tickOn(h.app)).toEqual({});
    expect(dmsAbout(id)).toHaveLength(1);
  });
});
