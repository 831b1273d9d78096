import { spokenDescription } from '../../src/domain/call-speech.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyCallError } from '../../src/domain/call-record.js';
import { contactFlowEvent, parseContactFlowEvent } from '../../src/domain/contact-flow.js';
import {
  CLIENT_TOKEN_MAX,
  DEFAULT_POLICY,
  MAX_START_TRIES,
  acceptCall,
  afterMissedCall,
  beginNextAttempt,
  callStarted,
  clientTokenFor,
  isActive,
  nextTickAction,
  resendStart,
  slotOf,
  startChain,
  stopChain,
  type Chain,
  type IncidentView,
} from '../../src/domain/escalation.js';
import { parsePhoneResponse } from '../../src/domain/contact-flow.js';

const T0 = Date.UTC(2026, 0, 1);
const policy = DEFAULT_POLICY;
const A = { userId: 'U0ALICE01', phone: '+819012340001' };
const B = { userId: 'U0BOB0001', phone: '+819012340002' };

const incident = (overrides: Partial<IncidentView> = {}): IncidentView => ({
  id: 'INC-7',
  status: 'triggered',
  severity: 'critical',
  openedAt: T0,
  ...overrides,
});

const chainOf = (rounds = 2): Chain =>
  startChain({ incidentId: 'INC-7', responders: [A, B], rounds, now: T0 });

describe('when a chain starts', () => {
  it('waits for the deadline, then starts', () => {
    const before = nextTickAction({ incident: incident(), chain: undefined, now: T0 + 299_999, policy });
    expect(before).toEqual({ kind: 'wait', until: T0 + 300_000 });
    expect(nextTickAction({ incident: incident(), chain: undefined, now: T0 + 300_000, policy })).toEqual({
      kind: 'start',
    });
  });

  it('never starts for an acknowledged, resolved or less severe incident', () => {
    const late = T0 + 3_600_000;
    for (const i of [
      incident({ status: 'acknowledged' }),
      incident({ status: 'resolved' }),
      incident({ severity: 'error' }),
    ]) {
      expect(nextTickAction({ incident: i, chain: undefined, now: late, policy })).toEqual({ kind: 'wait' });
    }
    // …unless the threshold says so.
    expect(
      nextTickAction({
        incident: incident({ severity: 'error' }),
        chain: undefined,
        now: late,
        policy: { ...policy, severity: 'error' },
      }),
    ).toEqual({ kind: 'start' });
  });

  it('calls priority 1 first; with nobody on call it is exhausted at once', () => {
    const chain = chainOf();
    expect(chain).toMatchObject({ phase: 'calling', attempt: 1, startTries: 1 });
    expect(slotOf(chain, 1)?.responder).toEqual(A);
    const empty = startChain({ incidentId: 'INC-7', responders: [], rounds: 3, now: T0 });
    expect(empty).toMatchObject({ phase: 'exhausted', attempt: 0, endReason: 'no_responders' });
    expect(isActive(empty)).toBe(false);
  });
});

describe('episodes, flapping and snoozes (issue 20)', () => {
  const late = T0 + 3_600_000;
  const ended = (chain: Chain) => stopChain(chain, 'resolved', T0 + 60_000);

  it('a chain of an earlier episode does not count: a reopen earns its own, after its own deadline', () => {
    const reopenedAt = T0 + 600_000;
    const reopened = incident({ openedAt: reopenedAt });
    const old = ended(chainOf());
    expect(nextTickAction({ incident: reopened, chain: old, now: reopenedAt + 1, policy })).toEqual({
      kind: 'wait',
      until: reopenedAt + policy.afterMs,
    });
    expect(
      nextTickAction({ incident: reopened, chain: old, now: reopenedAt + policy.afterMs, policy }),
    ).toEqual({
      kind: 'start',
    });
    // The same ended chain, of this episode, still ends it.
    expect(nextTickAction({ incident: incident(), chain: old, now: late, policy })).toEqual({ kind: 'wait' });
  });

  it('a flapping reopen starts no chain', () => {
    const flapping = incident({ openedAt: T0 + 600_000, mayStartChain: false });
    expect(nextTickAction({ incident: flapping, chain: undefined, now: late, policy })).toEqual({
      kind: 'wait',
    });
    expect(nextTickAction({ incident: flapping, chain: ended(chainOf()), now: late, policy })).toEqual({
      kind: 'wait',
    });
  });

  it('a snooze holds back the start and the next call, until it ends', () => {
    const snoozedUntil = T0 + 900_000;
    const snoozed = incident({ snoozedUntil });
    expect(nextTickAction({ incident: snoozed, chain: undefined, now: T0 + 400_000, policy })).toEqual({
      kind: 'wait',
      until: snoozedUntil,
    });
    expect(nextTickAction({ incident: snoozed, chain: undefined, now: snoozedUntil, policy })).toEqual({
      kind: 'start',
    });
    const waiting = afterMissedCall(callStarted(chainOf(), 'c1', T0), T0 + 1000, policy);
    expect(nextTickAction({ incident: snoozed, chain: waiting, now: T0 + 400_000, policy })).toEqual({
      kind: 'wait',
      until: snoozedUntil,
    });
    // A call already ringing runs its course (it can still time out).
    const ringing = callStarted(chainOf(), 'c1', T0);
    expect(
      nextTickAction({ incident: snoozed, chain: ringing, now: T0 + policy.answerTimeoutMs, policy }),
    ).toEqual({ kind: 'timeout' });
  });
});

describe('the chain', () => {
  it('goes through the list, round after round, then is exhausted', () => {
    let chain = chainOf(2);
    const seen: string[] = [];
    let now = T0;
    for (;;) {
      const slot = slotOf(chain, chain.attempt);
      seen.push(`${slot?.round}:${slot?.responder.userId}`);
      chain = callStarted(chain, `c${chain.attempt}`, now);
      expect(chain.phase).toBe('ringing');
      now += 10_000;
      chain = afterMissedCall(chain, now, policy);
      if (chain.phase === 'exhausted') break;
      expect(chain).toMatchObject({ phase: 'retry_wait', nextAt: now + policy.retryMs });
      expect(chain.contactId).toBeUndefined();
      expect(
        nextTickAction({ incident: incident(), chain, now: now + policy.retryMs - 1, policy }).kind,
      ).toBe('wait');
      now += policy.retryMs;
      expect(nextTickAction({ incident: incident(), chain, now, policy })).toEqual({ kind: 'next' });
      chain = beginNextAttempt(chain, now);
      expect(chain).toMatchObject({ phase: 'calling', startTries: 1 });
    }
    expect(seen).toEqual(['1:U0ALICE01', '1:U0BOB0001', '2:U0ALICE01', '2:U0BOB0001']);
    expect(chain).toMatchObject({ phase: 'exhausted', attempt: 4, endReason: 'exhausted' });
  });

  it('times out a call with no outcome as no answer', () => {
    const ringing = callStarted(chainOf(), 'c1', T0);
    expect(nextTickAction({ incident: incident(), chain: ringing, now: T0 + 119_999, policy }).kind).toBe(
      'wait',
    );
    expect(nextTickAction({ incident: incident(), chain: ringing, now: T0 + 120_000, policy })).toEqual({
      kind: 'timeout',
    });
  });

  it('re-sends a start that never recorded its result, then gives up', () => {
    let chain = chainOf();
    expect(nextTickAction({ incident: incident(), chain, now: T0 + 29_999, policy }).kind).toBe('wait');
    for (let tries = 1; tries < MAX_START_TRIES; tries += 1) {
      const now = chain.attemptAt + policy.startLeaseMs;
      expect(nextTickAction({ incident: incident(), chain, now, policy })).toEqual({ kind: 'resend' });
      chain = resendStart(chain, now);
    }
    const now = chain.attemptAt + policy.startLeaseMs;
    expect(nextTickAction({ incident: incident(), chain, now, policy })).toEqual({ kind: 'give_up' });
  });

  it('stops once the incident is acknowledged or resolved elsewhere', () => {
    const ringing = callStarted(chainOf(), 'c1', T0);
    expect(
      nextTickAction({ incident: incident({ status: 'acknowledged' }), chain: ringing, now: T0, policy }),
    ).toEqual({ kind: 'stop', reason: 'acknowledged' });
    const stopped = stopChain(ringing, 'acknowledged', T0, 'U0CAROL01');
    expect(stopped).toMatchObject({ phase: 'stopped', endReason: 'acknowledged', endedBy: 'U0CAROL01' });
    // A finished chain never does anything again.
    expect(nextTickAction({ incident: incident(), chain: stopped, now: T0 + 1e9, policy })).toEqual({
      kind: 'wait',
    });
  });

  it('accepting ends it', () => {
    const accepted = acceptCall(callStarted(chainOf(), 'c1', T0), A.userId, T0);
    expect(accepted).toMatchObject({ phase: 'accepted', endedBy: A.userId, endReason: 'accepted' });
    expect(isActive(accepted)).toBe(false);
  });
});

describe('phone details', () => {
  it('reads the pressed key', () => {
    expect(parsePhoneResponse('1')).toBe('accepted');
    expect(parsePhoneResponse(' 2 ')).toBe('declined');
    for (const v of ['timeout', '', undefined, '9']) expect(parsePhoneResponse(v)).toBe('no_answer');
  });

  it('derives a deterministic, short ClientToken per incident and attempt', () => {
    const token = clientTokenFor({ incidentId: 'INC-7', openedAt: T0, attempt: 2 });
    expect(token).toBe(clientTokenFor({ incidentId: 'INC-7', openedAt: T0, attempt: 2 }));
    expect(token.length).toBeLessThanOrEqual(CLIENT_TOKEN_MAX);
    expect(token).toMatch(/^hikeshi-INC-7-a2-[0-9a-f]+$/);
    expect(clientTokenFor({ incidentId: 'INC-7', openedAt: T0, attempt: 3 })).not.toBe(token);
    // The same id reused by a wiped store (another opening time) is another call.
    expect(clientTokenFor({ incidentId: 'INC-7', openedAt: T0 + 1, attempt: 2 })).not.toBe(token);
    const long = clientTokenFor({ incidentId: 'INC-999999999', openedAt: T0, attempt: 30 });
    expect(long.length).toBeLessThanOrEqual(CLIENT_TOKEN_MAX);
  });

  it('describes the incident in plain words', () => {
    const text = spokenDescription({ id: 'INC-42', title: 'DB <primary> *down*', severity: 'critical' });
    expect(text).toContain('critical incident 42');
    expect(text).toContain('DB  primary   down');
    expect(text).toContain('Press 1');
    expect(text).not.toMatch(/[<>*]/);
  });

  it('classifies Connect failures', () => {
    const err = (name: string, status: number) =>
      Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
    expect(classifyCallError(err('ThrottlingException', 429))).toBe('THROTTLING');
    expect(classifyCallError(err('InvalidParameterException', 400))).toBe('INVALID_NUMBER');
    expect(classifyCallError(err('DestinationNotAllowedException', 403))).toBe('INVALID_NUMBER');
    expect(classifyCallError(err('LimitExceededException', 429))).toBe('LIMIT_EXCEEDED');
    expect(classifyCallError(err('SomethingNew', 503))).toBe('SERVICE_UNAVAILABLE');
    expect(classifyCallError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(
      'SERVICE_UNAVAILABLE',
    );
  });

  it('parses the contact-flow event', () => {
    const ok = parseContactFlowEvent(
      contactFlowEvent({
        contactId: 'c1',
        attributes: { incidentId: 'INC-7' },
        action: 'response',
        response: '1',
      }),
    );
    expect(ok).toEqual({
      ok: true,
      request: { action: 'response', contactId: 'c1', attributes: { incidentId: 'INC-7' }, response: '1' },
    });
    expect(parseContactFlowEvent({ Details: {} })).toMatchObject({ ok: false, field: 'Details.ContactData' });
    expect(parseContactFlowEvent(contactFlowEvent({ contactId: 'c1', action: 'describe' }))).toMatchObject({
      ok: true,
    });
    const bad = contactFlowEvent({ contactId: 'c1', action: 'describe' });
    (bad['Details'] as { Parameters: Record<string, string> }).Parameters['action'] = 'dance';
    expect(parseContactFlowEvent(bad)).toMatchObject({ ok: false, field: 'Details.Parameters.action' });
  });
});

describe('docs/connect-contact-flow.json', () => {
  interface FlowAction {
    Identifier: string;
    Type: string;
    Parameters: Record<string, unknown>;
    Transitions: {
      NextAction?: string;
      Conditions?: { NextAction: string }[];
      Errors?: { NextAction: string }[];
    };
  }
  const flow = JSON.parse(
    readFileSync(new URL('../../docs/connect-contact-flow.json', import.meta.url), 'utf8'),
  ) as { Version: string; StartAction: string; Actions: FlowAction[] };
  const byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));

  it('is a complete flow: every transition lands on an action', () => {
    expect(flow.Version).toBe('2019-10-30');
    expect(byId.has(flow.StartAction)).toBe(true);
    for (const action of flow.Actions) {
      const targets = [
        action.Transitions.NextAction,
        ...(action.Transitions.Conditions ?? []).map((c) => c.NextAction),
        ...(action.Transitions.Errors ?? []).map((e) => e.NextAction),
      ].filter((t) => t !== undefined);
      for (const target of targets) expect(byId.has(target), `${action.Identifier} → ${target}`).toBe(true);
    }
  });

  it('describes, speaks, takes one key and reports it in the words Hikeshi understands', () => {
    const lambdas = flow.Actions.filter((a) => a.Type === 'InvokeLambdaFunction').map(
      (a) => a.Parameters['LambdaInvocationAttributes'] as Record<string, string>,
    );
    expect(lambdas[0]).toEqual({ action: 'describe' });
    const outcomes = lambdas.slice(1).map((attributes) => {
      const parsed = parseContactFlowEvent({
        Details: { ContactData: { ContactId: 'c' }, Parameters: attributes },
      });
      expect(parsed.ok).toBe(true);
      return parsePhoneResponse(attributes['response']);
    });
    expect(outcomes).toEqual(['accepted', 'declined', 'no_answer', 'no_answer']);
    expect(byId.get('speak')).toMatchObject({
      Type: 'MessageParticipant',
      Parameters: { Text: '$.External.message' },
    });
    expect(byId.get('ask')).toMatchObject({
      Type: 'GetParticipantInput',
      Parameters: { InputTimeLimitSeconds: '8' },
    });
  });
});
