/**
 * Escalation by policy (issue 19) as a pure state machine: one chain per incident, walking its policy's steps.
 * No I/O and no clock: the service reads the chain, asks these functions for the next one, and writes it back
 * conditionally on the version it read, so of two ticks, processes or Lambdas exactly one takes each step.
 *
 *   pending(step) ──due──▶ notifying(step) ──targets notified──▶ waiting(step) ──wait_minutes──▶ pending(step+1)
 *        ▲                     │ the process died: re-run after the lease       │ after the last step:
 *        │                     ▼ (each target's claim is kept: nobody twice)     ├─ repeat left ─▶ pending(0) of the next pass
 *        └──────────────────────────────────────────────────────────────────────┘─ none left ──▶ ended (exhausted)
 *   any phase ──ack / resolve (anywhere)──▶ ended
 *
 * A step's targets are resolved when the step starts (`notifying`), never when the chain starts, so someone
 * added to a schedule or the flat list meanwhile is notified at the next step.
 */
import { severityAtLeast, type Severity } from './alert.js';
import type { Incident } from './incident.js';
import { policyOf } from './incident-policy.js';
import type { EscalationPolicy, EscalationStep, OncallConfig } from './oncall-config.js';
import { RESPONDERS_POLICY_ID } from './oncall-config.js';
import { escalationEpisode } from './reopen.js';

export type PolicyChainPhase = 'pending' | 'notifying' | 'waiting' | 'ended';
export type PolicyEndReason = 'acknowledged' | 'resolved' | 'exhausted' | 'replaced';

export interface PolicyChain {
  incidentId: string;
  policy: string;
  /** The incident episode (when it opened, or its latest reopen) the chain is for. */
  episode: number;
  /** 0-based: 0 is the first time through the steps, `repeat` the last. */
  pass: number;
  /** 0-based index into the policy's steps. */
  step: number;
  phase: PolicyChainPhase;
  /** When the chain has work (pending: the step starts; notifying: the lease ends; waiting: the next step). */
  dueAt?: number;
  /** When the current step started. */
  stepStartedAt?: number;
  /** The current step's notifications already claimed (`slack:U1`, `phone:U1`): never sent twice. */
  notified: string[];
  version: number;
  endedAt?: number;
  endReason?: PolicyEndReason;
  endedBy?: string;
}

/** How long a step's start may go unfinished before another tick (or process) resumes it. */
export const STEP_LEASE_MS = 30_000;

/** The escalation policy an incident follows: its route's, or the flat list (`responders`) when there is none. */
export function policyFor(
  config: Pick<OncallConfig, 'escalationPolicies'>,
  policyId: string | undefined,
): EscalationPolicy | typeof RESPONDERS_POLICY_ID {
  if (policyId === undefined || policyId === RESPONDERS_POLICY_ID) return RESPONDERS_POLICY_ID;
  // A policy a reload removed falls back to the flat list, rather than leaving the incident unpaged.
  return config.escalationPolicies.find((p) => p.id === policyId) ?? RESPONDERS_POLICY_ID;
}

/**
 * The policy whose chain the incident should have now, or undefined: it must be open and unacknowledged, not held
 * by a silence, at least ESCALATE_SEVERITY (`severity`), on a policy of the file (the flat list has its own
 * chains), in an episode that may start a chain (not a flapping reopen).
 */
export function chainPolicyOf(
  incident: Pick<
    Incident,
    'policy' | 'status' | 'severity' | 'firstSeenAt' | 'reopenedAt' | 'flapping' | 'silencedBy'
  >,
  config: Pick<OncallConfig, 'escalationPolicies'>,
  severity: Severity,
): EscalationPolicy | undefined {
  const policy = policyFor(config, policyOf(incident));
  if (policy === RESPONDERS_POLICY_ID || incident.status !== 'triggered') return undefined;
  if (!severityAtLeast(incident.severity, severity)) return undefined;
  return escalationEpisode(incident).mayStartChain ? policy : undefined;
}

export function startPolicyChain(input: {
  incidentId: string;
  policy: string;
  episode: number;
  now: number;
  /** The version of the chain item this one replaces (0: none). */
  after?: number;
}): PolicyChain {
  return {
    incidentId: input.incidentId,
    policy: input.policy,
    episode: input.episode,
    pass: 0,
    step: 0,
    phase: 'pending',
    dueAt: input.now,
    notified: [],
    version: (input.after ?? 0) + 1,
  };
}

export function stepOf(
  chain: Pick<PolicyChain, 'step'>,
  policy: EscalationPolicy,
): EscalationStep | undefined {
  return policy.steps[chain.step];
}

export type PolicyTickAction =
  | { kind: 'wait'; until?: number }
  /** The step is due: claim it and notify its targets. */
  | { kind: 'start' }
  /** A step's start never finished (the process died): claim it again; targets already notified are skipped. */
  | { kind: 'resume' }
  /** The step's wait is over: on to the next step, the next pass, or the end. */
  | { kind: 'advance' }
  | { kind: 'stop'; reason: 'acknowledged' | 'resolved' };

export function policyTickAction(input: {
  chain: PolicyChain;
  incident: { status: 'triggered' | 'acknowledged' | 'resolved'; snoozedUntil?: number } | undefined;
  now: number;
}): PolicyTickAction {
  const { chain, incident, now } = input;
  if (chain.phase === 'ended') return { kind: 'wait' };
  if (incident === undefined || incident.status === 'resolved') return { kind: 'stop', reason: 'resolved' };
  if (incident.status === 'acknowledged') return { kind: 'stop', reason: 'acknowledged' };
  const due = chain.dueAt ?? now;
  if (now < due) return { kind: 'wait', until: due };
  // A snooze holds back the next notification; a step already under way finishes.
  const snoozed = incident.snoozedUntil ?? Number.NEGATIVE_INFINITY;
  if (chain.phase !== 'notifying' && now < snoozed) return { kind: 'wait', until: snoozed };
  if (chain.phase === 'pending') return { kind: 'start' };
  if (chain.phase === 'notifying') return { kind: 'resume' };
  return { kind: 'advance' };
}

/**
 * pending / notifying → notifying: this writer starts (or resumes) the step, and claims in the same write the
 * notifications it is about to send (`claim`, those not claimed before): the one write that wins the step also
 * makes sure nobody else sends them.
 */
export function claimStep(chain: PolicyChain, now: number, claim: readonly string[] = []): PolicyChain {
  const resumed = chain.phase === 'notifying';
  const before = resumed ? chain.notified : [];
  return {
    ...chain,
    phase: 'notifying',
    stepStartedAt: resumed ? (chain.stepStartedAt ?? now) : now,
    dueAt: now + STEP_LEASE_MS,
    notified: [...before, ...claim.filter((key) => !before.includes(key))],
    version: chain.version + 1,
  };
}

/** notifying → waiting: every target was notified; the next step is due `wait_minutes` after this one began. */
export function stepDone(
  chain: PolicyChain,
  policy: EscalationPolicy,
  notified: readonly string[],
): PolicyChain {
  const waitMs = (stepOf(chain, policy)?.waitMinutes ?? 0) * 60_000;
  return {
    ...chain,
    phase: 'waiting',
    dueAt: (chain.stepStartedAt ?? 0) + waitMs,
    notified: [...notified],
    version: chain.version + 1,
  };
}

/** waiting → pending(next step) now, or ended (exhausted) after the last step of the last pass. */
export function advanceChain(chain: PolicyChain, policy: EscalationPolicy, now: number): PolicyChain {
  const base = { ...chain, notified: [], version: chain.version + 1 };
  if (chain.step + 1 < policy.steps.length) {
    return { ...base, phase: 'pending', step: chain.step + 1, dueAt: now };
  }
  if (chain.pass < policy.repeat) {
    return { ...base, phase: 'pending', pass: chain.pass + 1, step: 0, dueAt: now };
  }
  const { dueAt: _due, ...rest } = base;
  return { ...rest, phase: 'ended', endedAt: now, endReason: 'exhausted' };
}

export function endPolicyChain(
  chain: PolicyChain,
  reason: PolicyEndReason,
  now: number,
  by?: string,
): PolicyChain {
  const { dueAt: _due, ...rest } = chain;
  return {
    ...rest,
    phase: 'ended',
    endedAt: now,
    endReason: reason,
    ...(by === undefined ? {} : { endedBy: by }),
    version: chain.version + 1,
  };
}

/** Who the current step asked a phone line to call: their pages are withdrawn when the step is over. */
export function phonedBy(chain: Pick<PolicyChain, 'notified'>): string[] {
  return chain.notified.filter((key) => key.startsWith('phone:')).map((key) => key.slice('phone:'.length));
}

/** "step 2 of 3", with the pass when the policy repeats: "step 1 of 3, pass 2 of 3". */
export function stepLabel(chain: Pick<PolicyChain, 'step' | 'pass'>, policy: EscalationPolicy): string {
  const pass = policy.repeat > 0 ? `, pass ${chain.pass + 1} of ${policy.repeat + 1}` : '';
  return `step ${chain.step + 1} of ${policy.steps.length}${pass}`;
}
