/**
 * One person, one phone for the flat list too (issue 19): before the flat list's chain (escalation.ts) calls
 * someone, it holds their phone line (src/domain/phone-line.ts), the same line escalation policies page. While the
 * line is held nobody else calls that person, and while anyone else is calling them the hold is refused and the
 * chain waits at the same attempt (its priority order and rounds unchanged) until the line is free. The hold ends
 * when the call's outcome is in (accepted, declined, unanswered, failed, stopped); a hold whose process died ends
 * with its lease, long enough for every re-send of the start and the answer timeout.
 */
import {
  MAX_START_TRIES,
  clientTokenFor,
  slotOf,
  type Chain,
  type EscalationPolicy,
} from '../domain/escalation.js';
import { heldByFlatCall, holdLine, lineFree } from '../domain/phone-line.js';
import type { Logger } from '../logger.js';
import type { EscalationStore } from './ports/escalation-store.js';

/** Re-reads when a line write loses a race (a page left meanwhile moves its version). */
const ATTEMPTS = 5;
/** Beyond the call's own limits: a tick or two late to notice the timeout. */
const LEASE_MARGIN_MS = 60_000;

export interface FlatLines {
  /**
   * Holds the line of the person the chain's `attempt` calls; false while someone else calls them (or a write kept
   * losing). The incident's own hold is renewed (a re-sent start).
   */
  hold(
    chain: Pick<Chain, 'incidentId' | 'responders' | 'rounds'>,
    attempt: number,
    openedAt: number,
    now: number,
  ): Promise<boolean>;
  /** Frees the line the chain's current call holds: its outcome is in. Never throws (the lease frees it then). */
  release(chain: Pick<Chain, 'incidentId' | 'responders' | 'rounds' | 'attempt'>, now: number): Promise<void>;
}

export function createFlatLines(deps: {
  store: Pick<EscalationStore, 'line' | 'saveLine'>;
  policy: Pick<EscalationPolicy, 'startLeaseMs' | 'answerTimeoutMs'>;
  logger: Logger;
}): FlatLines {
  const { store } = deps;
  const leaseMs = deps.policy.startLeaseMs * MAX_START_TRIES + deps.policy.answerTimeoutMs + LEASE_MARGIN_MS;
  return {
    async hold(chain, attempt, openedAt, now) {
      const userId = slotOf(chain, attempt)?.responder.userId;
      if (userId === undefined) return true;
      const token = clientTokenFor({ incidentId: chain.incidentId, openedAt, attempt });
      for (let i = 0; i < ATTEMPTS; i += 1) {
        const line = await store.line(userId);
        const held = holdLine(line, { userId, incidentId: chain.incidentId, token, now, leaseMs });
        if (held === undefined) return false;
        if (await store.saveLine(held, line?.version ?? 0)) return true;
      }
      return false;
    },

    async release(chain, now) {
      const userId = slotOf(chain, chain.attempt)?.responder.userId;
      if (userId === undefined) return;
      try {
        for (let i = 0; i < ATTEMPTS; i += 1) {
          const line = await store.line(userId);
          if (line === undefined || !heldByFlatCall(line, chain.incidentId)) return;
          if (await store.saveLine(lineFree(line, now), line.version)) return;
        }
      } catch (error) {
        deps.logger.warn(
          { err: error, incident: chain.incidentId },
          'could not free a phone line: its lease will',
        );
      }
    },
  };
}
