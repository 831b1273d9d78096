/**
 * Phone escalation as a pure state machine: when an unacknowledged incident earns a call chain, who is
 * called next, and what each event (tick, call started or failed, phone outcome, ack elsewhere) does to the
 * chain. No I/O and no clock: the service reads the stored chain, asks these functions for the next one and
 * writes it back with a conditional write on the phase and attempt it read, so two ticks, two processes or
 * two Lambdas acting on one chain produce one winner.
 *
 * The chain (one per incident, stored in the seed's CallStatus table under statusId = incident id):
 *
 *   (no chain) ──deadline passed──▶ calling(1) ──started──▶ ringing(1) ──accept──▶ accepted
 *                                      │                       │ decline / no answer / timeout
 *                                      │ failed to start       ▼
 *                                      └────────────────▶ retry_wait(1) ──retry due──▶ calling(2) … calling(n·rounds)
 *   any active phase ──ack / resolve elsewhere──▶ stopped          after the last attempt ──▶ exhausted
 *
 * `attempt` counts calls across rounds (1-based): attempt a calls responder (a-1) mod n in round ⌈a/n⌉.
 * `calling` is written BEFORE StartOutboundVoiceContact is sent; a `calling` attempt that never recorded its
 * result (the process died) is re-sent after a lease with the same ClientToken, which Connect treats as the
 * same request, so the phone rings once.
 */
import { severityAtLeast, type Severity } from './alert.js';

export { CLIENT_TOKEN_MAX, clientTokenFor } from './call-token.js';
import type { IncidentStatus } from './incident.js';

export interface EscalationPolicy {
  /** ESCALATE_SEVERITY: incidents at least this severe are phoned about. */
  severity: Severity;
  /** ESCALATE_AFTER_SECONDS, in ms: how long an incident may stay unacknowledged before the first call. */
  afterMs: number;
  /** CALL_RETRY_SECONDS, in ms: the pause between a missed call and the next one. */
  retryMs: number;
  /** ESCALATION_ROUNDS: how many times the whole list is called. */
  rounds: number;
  /** CALL_ANSWER_TIMEOUT_SECONDS, in ms: a call with no outcome after this counts as no answer. */
  answerTimeoutMs: number;
  /** How long a `calling` attempt may go without a recorded result before its start is re-sent. */
  startLeaseMs: number;
}

export const DEFAULT_POLICY: EscalationPolicy = {
  severity: 'critical',
  afterMs: 300_000,
  retryMs: 30_000,
  rounds: 3,
  answerTimeoutMs: 120_000,
  startLeaseMs: 30_000,
};

/** Re-sends of one attempt's start (same ClientToken) before it counts as a failed call. */
export const MAX_START_TRIES = 3;

export type ChainPhase = 'calling' | 'ringing' | 'retry_wait' | 'accepted' | 'stopped' | 'exhausted';
export const ACTIVE_PHASES: readonly ChainPhase[] = ['calling', 'ringing', 'retry_wait'];

export type EndReason =
  | 'accepted'
  | 'acknowledged'
  | 'resolved'
  | 'owned'
  | 'exhausted'
  | 'no_responders'
  /** A silence came to cover the incident (src/domain/silence.ts). */
  | 'silenced';

export interface ChainResponder {
  /** Slack user id. */
  userId: string;
  /** E.164; only the Connect call itself sees it unmasked. */
  phone: string;
}

export interface Chain {
  incidentId: string;
  phase: ChainPhase;
  /** The current (or last) call, 1-based across rounds; 0 when no call was ever due. */
  attempt: number;
  /** The on-call list as it was when the chain started, in priority order. */
  responders: ChainResponder[];
  rounds: number;
  startedAt: number;
  /**
   * The incident episode it was started for (IncidentView.openedAt): a chain of an earlier episode is over for
   * good. Absent on chains stored before episodes existed; their `startedAt` stands in.
   */
  episode?: number;
  /** calling: when the attempt (or its latest re-send) was recorded; ringing: when the call started. */
  attemptAt: number;
  /** Sends of StartOutboundVoiceContact for the current attempt. */
  startTries: number;
  /** ringing: the ContactId Connect returned for the current attempt. */
  contactId?: string;
  /** retry_wait: when the next call is due. */
  nextAt?: number;
  endedAt?: number;
  endReason?: EndReason;
  /** accepted: who took it; stopped: who acknowledged or resolved. */
  endedBy?: string;
}

export interface IncidentView {
  id: string;
  status: IncidentStatus;
  severity: Severity;
  /**
   * When its current episode began (ms): when it opened, or its latest reopen. A chain that ended before then
   * belongs to an earlier episode, and the deadline counts from here.
   */
  openedAt: number;
  /** False when the episode may not start a chain (a flapping incident's reopen). Default true. */
  mayStartChain?: boolean;
  /** Escalation paused until then (ms): no chain starts and no next call is placed before it. */
  snoozedUntil?: number;
}

export type { PhoneOutcome } from './contact-flow.js';

export function isActive(chain: Pick<Chain, 'phase'>): boolean {
  return ACTIVE_PHASES.includes(chain.phase);
}

/** Does this incident call for phoning, once its deadline passes? */
export function qualifies(
  incident: Pick<IncidentView, 'status' | 'severity'>,
  policy: EscalationPolicy,
): boolean {
  return incident.status === 'triggered' && severityAtLeast(incident.severity, policy.severity);
}

export function deadlineOf(incident: Pick<IncidentView, 'openedAt'>, policy: EscalationPolicy): number {
  return incident.openedAt + policy.afterMs;
}

export function totalCalls(chain: Pick<Chain, 'responders' | 'rounds'>): number {
  return chain.responders.length * chain.rounds;
}

export interface Slot {
  responder: ChainResponder;
  /** 0-based position in the list. */
  index: number;
  /** 1-based round. */
  round: number;
  attempt: number;
  total: number;
}

/** Who attempt `attempt` calls; undefined when the chain has no such attempt. */
export function slotOf(chain: Pick<Chain, 'responders' | 'rounds'>, attempt: number): Slot | undefined {
  const n = chain.responders.length;
  if (n === 0 || attempt < 1 || attempt > totalCalls(chain)) return undefined;
  const index = (attempt - 1) % n;
  const responder = chain.responders[index];
  if (responder === undefined) return undefined;
  return { responder, index, round: Math.floor((attempt - 1) / n) + 1, attempt, total: totalCalls(chain) };
}

export type TickAction =
  /** Nothing to do now; `until` says when something might be (undefined: never, by tick alone). */
  | { kind: 'wait'; until?: number }
  /** No chain yet and the deadline has passed: start one (attempt 1). */
  | { kind: 'start' }
  /** The retry wait is over: place the next call. */
  | { kind: 'next' }
  /** A `calling` attempt never recorded its result: send its start again (same ClientToken). */
  | { kind: 'resend' }
  /** Re-sent too often: count the attempt as a failed call. */
  | { kind: 'give_up' }
  /** Ringing for longer than the answer timeout: no answer. */
  | { kind: 'timeout' }
  /** The incident is no longer triggered: stop the chain. */
  | { kind: 'stop'; reason: 'acknowledged' | 'resolved' };

/** The chain of the incident's current episode: an ended chain started before the episode began is not. */
export function currentChain(
  incident: Pick<IncidentView, 'openedAt'>,
  chain: Chain | undefined,
): Chain | undefined {
  if (chain === undefined || isActive(chain)) return chain;
  return (chain.episode ?? chain.startedAt) < incident.openedAt ? undefined : chain;
}

/**
 * What a tick should do for one incident, given its stored chain (if any). A chain from an earlier episode (the
 * incident was resolved and reopened since) counts as none: the reopen earns its own chain, unless it made the
 * incident flapping. A snooze holds back the start and the next call (a call already ringing runs its course).
 */
export function nextTickAction(input: {
  incident: IncidentView;
  chain: Chain | undefined;
  now: number;
  policy: EscalationPolicy;
}): TickAction {
  const { incident, now, policy } = input;
  const chain = currentChain(incident, input.chain);
  const snoozedUntil = incident.snoozedUntil ?? Number.NEGATIVE_INFINITY;
  if (chain === undefined) {
    if (!qualifies(incident, policy) || incident.mayStartChain === false) return { kind: 'wait' };
    const due = Math.max(deadlineOf(incident, policy), snoozedUntil);
    return now >= due ? { kind: 'start' } : { kind: 'wait', until: due };
  }
  if (!isActive(chain)) return { kind: 'wait' };
  if (incident.status !== 'triggered') return { kind: 'stop', reason: incident.status };
  switch (chain.phase) {
    case 'retry_wait': {
      const due = Math.max(chain.nextAt ?? now, snoozedUntil);
      return now >= due ? { kind: 'next' } : { kind: 'wait', until: due };
    }
    case 'calling': {
      const due = chain.attemptAt + policy.startLeaseMs;
      if (now < due) return { kind: 'wait', until: due };
      return chain.startTries >= MAX_START_TRIES ? { kind: 'give_up' } : { kind: 'resend' };
    }
    default: {
      const due = chain.attemptAt + policy.answerTimeoutMs;
      return now >= due ? { kind: 'timeout' } : { kind: 'wait', until: due };
    }
  }
}

/** A new chain: calling its first responder, or exhausted at once when nobody is on call. */
export function startChain(input: {
  incidentId: string;
  responders: readonly ChainResponder[];
  rounds: number;
  now: number;
  /** The incident episode (IncidentView.openedAt) the chain is for. */
  episode?: number;
}): Chain {
  const base = {
    incidentId: input.incidentId,
    responders: input.responders.map((r) => ({ userId: r.userId, phone: r.phone })),
    rounds: Math.max(1, input.rounds),
    startedAt: input.now,
    attemptAt: input.now,
    ...(input.episode === undefined ? {} : { episode: input.episode }),
  };
  if (base.responders.length === 0) {
    return {
      ...base,
      phase: 'exhausted',
      attempt: 0,
      startTries: 0,
      endedAt: input.now,
      endReason: 'no_responders',
    };
  }
  return { ...base, phase: 'calling', attempt: 1, startTries: 1 };
}

/** retry_wait → calling the next attempt. */
export function beginNextAttempt(chain: Chain, now: number): Chain {
  const { contactId: _c, nextAt: _n, ...rest } = chain;
  return { ...rest, phase: 'calling', attempt: chain.attempt + 1, attemptAt: now, startTries: 1 };
}

/** calling → calling, one more send of the same attempt's start. */
export function resendStart(chain: Chain, now: number): Chain {
  return { ...chain, attemptAt: now, startTries: chain.startTries + 1 };
}

/** calling → ringing, with the ContactId Connect returned. */
export function callStarted(chain: Chain, contactId: string, now: number): Chain {
  return { ...chain, phase: 'ringing', contactId, attemptAt: now };
}

/**
 * A call that ended without an accept (declined, no answer, timed out, failed to start): wait and call the
 * next responder, or, after the last attempt of the last round, the chain is exhausted.
 */
export function afterMissedCall(chain: Chain, now: number, policy: Pick<EscalationPolicy, 'retryMs'>): Chain {
  const { contactId: _c, nextAt: _n, ...rest } = chain;
  if (chain.attempt >= totalCalls(chain)) {
    return { ...rest, phase: 'exhausted', endedAt: now, endReason: 'exhausted' };
  }
  return { ...rest, phase: 'retry_wait', nextAt: now + policy.retryMs };
}

export function acceptCall(chain: Chain, userId: string, now: number): Chain {
  return { ...chain, phase: 'accepted', endedAt: now, endReason: 'accepted', endedBy: userId };
}

/** Any active phase → stopped (an ack or resolve elsewhere, or someone already owns the error). */
export function stopChain(
  chain: Chain,
  reason: 'acknowledged' | 'resolved' | 'owned' | 'silenced',
  now: number,
  by?: string,
): Chain {
  const { nextAt: _n, ...rest } = chain;
  return {
    ...rest,
    phase: 'stopped',
    endedAt: now,
    endReason: reason,
    ...(by === undefined ? {} : { endedBy: by }),
  };
}
