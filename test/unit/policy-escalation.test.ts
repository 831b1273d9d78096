/**
 * Issue 19, the pure parts: routing fields from every source, the policy chain's steps, passes and end, the phone
 * line's one call for many incidents, and phone numbers typed in national formats.
 */
import { describe, expect, it } from 'vitest';
import type { EscalationPolicy } from '../../src/domain/oncall-config.js';
import {
  dialLine,
  holdLine,
  lineFree,
  lineRinging,
  pagesOf,
  spokenPages,
  type PhoneLine,
} from '../../src/domain/phone-line.js';
import { normalizePhone } from '../../src/domain/phone-input.js';
import {
  advanceChain,
  chainPolicyOf,
  claimStep,
  endPolicyChain,
  phonedBy,
  policyFor,
  policyTickAction,
  startPolicyChain,
  stepDone,
  stepLabel,
} from '../../src/domain/policy-chain.js';
import { chooseRoute, parseMatcher, type Matcher } from '../../src/domain/route-matchers.js';
import { routingFieldsOf, routingSourceOf } from '../../src/domain/routing.js';

const POLICY: EscalationPolicy = {
  id: 'payments',
  repeat: 1,
  steps: [
    { targets: [{ kind: 'schedule', schedule: 'primary' }], notify: ['slack'], waitMinutes: 5 },
    { targets: [{ kind: 'user', user: 'U0MANAGER' }], notify: ['phone'], waitMinutes: 10 },
  ],
};
const T0 = Date.parse('2026-01-07T12:00:00Z');
const matcher = (text: string): Matcher => {
  const parsed = parseMatcher(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.matcher;
};

describe('routing fields', () => {
  it('names the source family of Hikeshi’s own sources, and the sender’s source otherwise', () => {
    expect(routingSourceOf('alertmanager:team-pager')).toBe('alertmanager');
    expect(routingSourceOf('job:billing-nightly')).toBe('job');
    expect(routingSourceOf('checkout-api')).toBe('checkout-api');
    expect(routingSourceOf('web:01')).toBe('web:01');
    expect(routingSourceOf(undefined)).toBeUndefined();
  });

  it('turns scalar details and routing-only labels into labels; severity defaults as the incident opens', () => {
    const fields = routingFieldsOf({
      title: 'Disk full',
      source: 'alertmanager:pager',
      details: { team: 'payments', replicas: 3, nested: { a: 1 }, canary: false },
      routingLabels: { receiver: 'pager' },
    });
    expect(fields).toEqual({
      source: 'alertmanager',
      severity: 'error',
      title: 'Disk full',
      labels: { team: 'payments', replicas: '3', canary: 'false', receiver: 'pager' },
    });
    const config = {
      routes: [
        { matchers: [matcher('source=alertmanager'), matcher('label:team="payments"')], policy: 'payments' },
      ],
      defaultPolicy: 'responders',
    };
    expect(chooseRoute(config, fields).policy).toBe('payments');
    expect(chooseRoute(config, { ...fields, labels: {} }).policy).toBe('responders');
  });
});

describe('policy chain', () => {
  it('walks the steps, waits wait_minutes from each step’s start, repeats, then ends exhausted', () => {
    let chain = startPolicyChain({ incidentId: 'INC-1', policy: 'payments', episode: T0, now: T0 });
    const triggered = { status: 'triggered' as const };
    expect(policyTickAction({ chain, incident: triggered, now: T0 })).toEqual({ kind: 'start' });
    chain = claimStep(chain, T0);
    expect(chain.phase).toBe('notifying');
    chain = stepDone(chain, POLICY, ['slack:U1', 'note']);
    expect(chain).toMatchObject({ phase: 'waiting', dueAt: T0 + 5 * 60_000 });
    expect(policyTickAction({ chain, incident: triggered, now: T0 + 60_000 })).toMatchObject({
      kind: 'wait',
    });
    expect(policyTickAction({ chain, incident: triggered, now: T0 + 5 * 60_000 })).toEqual({
      kind: 'advance',
    });
    chain = advanceChain(chain, POLICY, T0 + 5 * 60_000);
    expect(chain).toMatchObject({ phase: 'pending', step: 1, pass: 0, notified: [] });
    expect(stepLabel(chain, POLICY)).toBe('step 2 of 2, pass 1 of 2');
    chain = stepDone(claimStep(chain, T0 + 5 * 60_000), POLICY, ['phone:U0MANAGER']);
    expect(phonedBy(chain)).toEqual(['U0MANAGER']);
    chain = advanceChain(chain, POLICY, T0 + 15 * 60_000);
    expect(chain).toMatchObject({ phase: 'pending', step: 0, pass: 1 });
    chain = advanceChain(advanceChain(chain, POLICY, T0), POLICY, T0);
    expect(chain).toMatchObject({ phase: 'ended', endReason: 'exhausted' });
    expect(chain.dueAt).toBeUndefined();
  });

  it('a step whose start never finished is resumed with its claims; ack and resolve stop it; a snooze holds it', () => {
    const chain = claimStep(
      startPolicyChain({ incidentId: 'INC-2', policy: 'payments', episode: T0, now: T0 }),
      T0,
    );
    const withClaim = { ...chain, notified: ['phone:U1'] };
    expect(
      policyTickAction({ chain: withClaim, incident: { status: 'triggered' }, now: T0 + 30_000 }),
    ).toEqual({
      kind: 'resume',
    });
    expect(claimStep(withClaim, T0 + 30_000).notified).toEqual(['phone:U1']);
    expect(policyTickAction({ chain, incident: { status: 'acknowledged' }, now: T0 })).toEqual({
      kind: 'stop',
      reason: 'acknowledged',
    });
    expect(policyTickAction({ chain, incident: undefined, now: T0 })).toMatchObject({ reason: 'resolved' });
    const pending = startPolicyChain({ incidentId: 'INC-3', policy: 'payments', episode: T0, now: T0 });
    expect(
      policyTickAction({
        chain: pending,
        incident: { status: 'triggered', snoozedUntil: T0 + 1000 },
        now: T0,
      }),
    ).toEqual({ kind: 'wait', until: T0 + 1000 });
    expect(endPolicyChain(chain, 'acknowledged', T0, 'U1')).toMatchObject({ phase: 'ended', endedBy: 'U1' });
  });

  it('the flat list is `responders`, also for a policy a reload removed', () => {
    const config = { escalationPolicies: [POLICY] };
    expect(policyFor(config, 'payments')).toBe(POLICY);
    expect(policyFor(config, 'responders')).toBe('responders');
    expect(policyFor(config, 'gone')).toBe('responders');
    expect(policyFor(config, undefined)).toBe('responders');
  });

  it('the write that claims a step claims its notifications too; a resumed step claims only new ones', () => {
    const pending = startPolicyChain({ incidentId: 'INC-4', policy: 'payments', episode: T0, now: T0 });
    const claimed = claimStep(pending, T0, ['slack:U1', 'note']);
    expect(claimed).toMatchObject({ phase: 'notifying', notified: ['slack:U1', 'note'], version: 2 });
    const resumed = claimStep(claimed, T0 + 30_000, ['slack:U1', 'slack:U2', 'note']);
    expect(resumed.notified).toEqual(['slack:U1', 'note', 'slack:U2']);
    expect(resumed.stepStartedAt).toBe(T0);
  });

  it('a chain is wanted for an open, unacknowledged, unsilenced, severe enough incident on a policy', () => {
    const config = { escalationPolicies: [POLICY] };
    const incident = {
      policy: 'payments',
      status: 'triggered' as const,
      severity: 'critical' as const,
      firstSeenAt: new Date(T0).toISOString(),
    };
    expect(chainPolicyOf(incident, config, 'critical')).toBe(POLICY);
    expect(chainPolicyOf({ ...incident, status: 'acknowledged' }, config, 'critical')).toBeUndefined();
    expect(chainPolicyOf({ ...incident, severity: 'warning' }, config, 'critical')).toBeUndefined();
    expect(chainPolicyOf({ ...incident, silencedBy: ['S1'] }, config, 'critical')).toBeUndefined();
    expect(chainPolicyOf({ ...incident, policy: 'responders' }, config, 'critical')).toBeUndefined();
  });
});

describe('phone line', () => {
  const idle: PhoneLine = {
    userId: 'U1',
    state: 'idle',
    pending: { 'INC-2': 20, 'INC-1': 10, 'INC-3': 30 },
    version: 4,
  };

  it('the flat list’s call holds an idle line (pages kept), renews its own hold, and waits for anyone else’s', () => {
    const hold = { userId: 'U1', incidentId: 'INC-9', token: 't-9', now: T0, leaseMs: 60_000 };
    const held = holdLine(idle, hold);
    expect(held).toMatchObject({ state: 'calling', pending: idle.pending, dueAt: T0 + 60_000, version: 5 });
    expect(held?.call).toMatchObject({ incidents: ['INC-9'], flat: true });
    expect(holdLine(undefined, hold)).toMatchObject({ userId: 'U1', state: 'calling', version: 1 });
    expect(holdLine(held, { ...hold, now: T0 + 30_000 })).toMatchObject({ dueAt: T0 + 90_000, version: 6 });
    expect(holdLine(held, { ...hold, incidentId: 'INC-8' })).toBeUndefined();
    expect(holdLine(dialLine(idle, ['INC-1'], T0, 30_000), hold)).toBeUndefined();
    // Freed, its pages are due at once.
    expect(lineFree(held!, T0 + 1)).toMatchObject({ state: 'idle', dueAt: T0 + 1 });
  });

  it('one call names every page still wanted, oldest first; the rest stay for the next call', () => {
    expect(pagesOf(idle)).toEqual(['INC-1', 'INC-2', 'INC-3']);
    const calling = dialLine(idle, ['INC-1', 'INC-2'], T0, 30_000);
    expect(calling).toMatchObject({ state: 'calling', pending: { 'INC-3': 30 }, version: 5 });
    expect(calling.call).toMatchObject({
      incidents: ['INC-1', 'INC-2'],
      token: 'hikeshi-line-U1-v5',
      tries: 1,
    });
    const ringing = lineRinging(calling, 'contact-1', T0, 120_000);
    expect(ringing).toMatchObject({
      state: 'ringing',
      dueAt: T0 + 120_000,
      call: { contactId: 'contact-1' },
    });
    expect(lineFree(ringing, T0)).toMatchObject({ state: 'idle', dueAt: T0, pending: { 'INC-3': 30 } });
    expect(lineFree({ ...ringing, pending: {} }, T0).dueAt).toBeUndefined();
  });

  it('says how many incidents need you, in plain words', () => {
    const text = spokenPages([
      { id: 'INC-1', title: 'DB <down>', severity: 'critical' },
      { id: 'INC-2', title: 'Queue stuck', severity: 'error' },
      { id: 'INC-3', title: 'Disk', severity: 'warning' },
    ]);
    expect(text).toContain('3 incidents need you: critical incident 1: DB down');
    expect(text).toContain('Press 1 to take all of them');
  });
});

describe('typed phone numbers', () => {
  it.each([
    ['+81 90-1234-5678', 'JP', '+819012345678'],
    ['090-1234-5678', 'JP', '+819012345678'],
    ['090 1234 5678', 'jp', '+819012345678'],
    ['(415) 555-0123', 'US', '+14155550123'],
    ['+1 415 555 0123', 'JP', '+14155550123'],
  ])('%s in %s → %s', (input, region, e164) => {
    expect(normalizePhone(input, region)).toEqual({ ok: true, e164 });
  });

  it.each(['090-1234', 'call me', '+81 0', ''])('refuses %j', (input) => {
    expect(normalizePhone(input, 'JP').ok).toBe(false);
  });
});
