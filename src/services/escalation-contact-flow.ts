/**
 * What the Hikeshi contact flow asks while a responder is on the phone (docs/connect-contact-flow.json):
 * - `describe`: the incident in plain words for text-to-speech → `{message}`;
 * - `response`: the digit pressed → "1" accept, "2" decline, "timeout"/"" no answer → `{result, message}`.
 *
 * A response counts for the chain only when it comes from the chain's current call: its ContactId is the
 * one StartOutboundVoiceContact returned (or, while that id is not yet stored, its `attempt` attribute is
 * the attempt being placed). A response from an earlier call of the same chain (found in the history) is
 * late: an accept still takes the incident if nobody else has; anything else is only recorded.
 */
import { spokenConfirmation, spokenDescription, type NextCall } from '../domain/call-speech.js';
import type { CallRecord, CallEvent } from '../domain/call-record.js';
import type { Clock } from '../domain/clock.js';
import { CallAttributes, type ContactFlowRequest, type ContactFlowResult } from '../domain/contact-flow.js';
import { parsePhoneResponse } from '../domain/contact-flow.js';
import { isActive, slotOf, type Chain, type PhoneOutcome } from '../domain/escalation.js';
import type { Logger } from '../logger.js';
import type { CallHistoryRepository } from './ports/call-stores.js';
import type { ChainStore } from './escalation-chains.js';
import type { EscalationSteps } from './escalation-steps.js';
import type { IncidentService } from './incidents.js';

const UNKNOWN_CALL = 'This is Hikeshi. This call is about an incident that can no longer be found. Goodbye.';

export function createContactFlowHandler(deps: {
  incidents: IncidentService;
  callHistory: CallHistoryRepository<CallRecord>;
  chains: ChainStore;
  steps: EscalationSteps;
  clock: Clock;
  logger: Logger;
}) {
  const { incidents, chains, steps, clock } = deps;
  const log = deps.logger;

  const isCurrent = (chain: Chain, request: ContactFlowRequest, ids: readonly string[]): boolean => {
    if (!isActive(chain)) return false;
    if (chain.contactId !== undefined) return ids.includes(chain.contactId);
    return chain.phase === 'calling' && request.attributes[CallAttributes.attempt] === String(chain.attempt);
  };

  const answer = (
    result: PhoneOutcome | 'ignored',
    incidentId: string,
    next?: NextCall,
  ): ContactFlowResult => ({ result, message: spokenConfirmation(result, incidentId, next) });

  /** Who the chain calls after its current call, for what the phone says (nobody: the channel is alerted). */
  const nextCall = (chain: Chain): NextCall => {
    const now = slotOf(chain, chain.attempt);
    const after = slotOf(chain, chain.attempt + 1);
    if (after === undefined) return 'none';
    return after.responder.userId === now?.responder.userId ? 'same' : 'other';
  };

  /** A response from an earlier call of this chain, or from none of its calls. */
  async function late(
    incidentId: string,
    outcome: PhoneOutcome,
    ids: readonly string[],
    now: number,
  ): Promise<ContactFlowResult> {
    const history = await deps.callHistory.list(incidentId);
    const placed = history.find(
      (r) => r.event === 'started' && r.contactId !== undefined && ids.includes(r.contactId),
    );
    if (placed?.contactId === undefined || placed.responderId === undefined) {
      log.info(
        { incident: incidentId, outcome },
        'contact-flow response for a call this incident never placed',
      );
      return answer('ignored', incidentId);
    }
    const [incident, chain] = await Promise.all([incidents.get(incidentId), chains.load(incidentId)]);
    const takeable =
      chain !== undefined && chain !== 'foreign' && (isActive(chain) || chain.phase === 'exhausted');
    if (outcome === 'accepted' && incident?.status === 'triggered' && takeable) {
      const call = {
        attempt: placed.attempt,
        responderId: placed.responderId,
        contactId: placed.contactId,
        late: true,
      };
      if (await steps.accept(chain, call, now)) return answer('accepted', incidentId);
    }
    // Recorded for the history only: the thread has already moved on from this call.
    if (!history.some((r) => r.contactId === placed.contactId && r.event !== 'started')) {
      const { at: _at, ...call } = placed;
      const event: CallEvent = outcome;
      await steps.record({ incidentId, responders: [], rounds: 1 }, { ...call, event, late: true }, now, {
        note: false,
      });
    }
    return answer('ignored', incidentId);
  }

  return async function handleContactFlow(request: ContactFlowRequest): Promise<ContactFlowResult> {
    const now = clock.now();
    const incidentId = request.attributes[CallAttributes.incidentId] ?? '';
    const incident = incidentId === '' ? undefined : await incidents.get(incidentId);
    if (request.action === 'describe') {
      if (incident === undefined) return { message: UNKNOWN_CALL, known: 'false' };
      const message =
        incident.status === 'triggered'
          ? spokenDescription(incident)
          : `${spokenDescription(incident).split('. Press')[0] ?? ''}. It has already been ${incident.status}; no action is needed.`;
      return {
        message,
        known: 'true',
        incidentId: incident.id,
        severity: incident.severity,
        status: incident.status,
      };
    }

    const outcome = parsePhoneResponse(request.response);
    if (incident === undefined) return { result: 'ignored', message: UNKNOWN_CALL };
    const ids = [
      request.contactId,
      ...(request.initialContactId === undefined ? [] : [request.initialContactId]),
    ];
    const chain = await chains.load(incident.id);
    if (chain !== undefined && chain !== 'foreign' && isCurrent(chain, request, ids)) {
      if (incident.status !== 'triggered') {
        await steps.stop(incident.id, incident.status, now, incident.acknowledgedBy ?? incident.resolvedBy);
        return answer('ignored', incident.id);
      }
      const slot = slotOf(chain, chain.attempt);
      if (outcome === 'accepted' && slot !== undefined) {
        const call = {
          attempt: chain.attempt,
          responderId: slot.responder.userId,
          contactId: request.contactId,
        };
        if (await steps.accept(chain, call, now)) return answer('accepted', incident.id);
      } else if (outcome !== 'accepted' && (await steps.missed(chain, outcome, now))) {
        return answer(outcome, incident.id, nextCall(chain));
      }
      // Another step moved the chain between our read and our write: judge the response afresh as late.
    }
    return late(incident.id, outcome, ids, now);
  };
}
