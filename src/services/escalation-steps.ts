/**
 * The steps of a phone chain that touch the outside: place a call, record a missed one, accept, stop, and
 * announce the end. Each step first wins the chain's conditional write (escalation-chains.ts) and only then
 * acts, so whichever tick, process or Lambda runs it, it runs once. Every attempt and outcome goes to the
 * CallHistory table (with its expiry) and to the incident's timeline, phones masked.
 */
import { callErrorKindOf, type CallErrorKind, type CallRecord } from '../domain/call-record.js';
import type { Clock } from '../domain/clock.js';
import { CallAttributes } from '../domain/contact-flow.js';
import {
  acceptCall,
  afterMissedCall,
  callStarted,
  clientTokenFor,
  isActive,
  slotOf,
  stopChain,
  type Chain,
  type EscalationPolicy,
} from '../domain/escalation.js';
import { maskPhone } from '../domain/phone.js';
import { callNoteText, nobodyAnsweredText } from '../blocks/calls.js';
import type { Logger } from '../logger.js';
import type { CallHistoryRepository } from './ports/call-stores.js';
import type { InProgressRepository } from './ports/call-stores.js';
import { currentOwner, openedAtOf } from './escalation-episode.js';
import type { ChainStore } from './escalation-chains.js';
import type { FlatLines } from './flat-lines.js';
import type { IncidentService } from './incidents.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';
import type { Notifier } from './ports/notifier.js';
import type { PhoneCaller } from './ports/phone-caller.js';

export interface StepDeps {
  incidents: IncidentService;
  inProgress: InProgressRepository;
  callHistory: CallHistoryRepository<CallRecord>;
  chains: ChainStore;
  caller: PhoneCaller;
  notifier: Notifier;
  thread: Pick<IncidentPublisher, 'reply'>;
  clock: Clock;
  logger: Logger;
  policy: EscalationPolicy;
  historyTtlDays: number;
  /** The phone lines a call holds (flat-lines.ts): freed when its outcome is in. */
  lines?: FlatLines;
}

export type StopReason = 'acknowledged' | 'resolved' | 'owned' | 'silenced';
export type MissedEvent = 'failed' | 'timeout' | 'declined' | 'no_answer';

/** Connect attribute values are free text up to 32 KB in all; a title needs far less. */
const TITLE_ATTRIBUTE_MAX = 256;
/** Re-reads when a stop loses a race against another step: each loss means the chain just moved. */
const STOP_ATTEMPTS = 5;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Who a call of the chain went to, as a history record's fields (phone masked). */
export function slotFields(
  chain: Chain,
  attempt: number,
): Pick<CallRecord, 'attempt' | 'round' | 'responderId' | 'phone'> {
  const slot = slotOf(chain, attempt);
  if (slot === undefined) return { attempt };
  return {
    attempt,
    round: slot.round,
    responderId: slot.responder.userId,
    phone: maskPhone(slot.responder.phone),
  };
}

export function createEscalationSteps(deps: StepDeps) {
  const { incidents, inProgress, callHistory, chains, caller, policy } = deps;
  const log = deps.logger;

  /** History row and timeline note; a failure here is logged, never undoes the chain step already won. */
  async function record(
    chain: Pick<Chain, 'incidentId' | 'responders' | 'rounds'>,
    fields: Omit<CallRecord, 'at'>,
    now: number,
    options: { note?: boolean } = {},
  ) {
    const entry: CallRecord = { at: iso(now), ...fields };
    try {
      await callHistory.append(chain.incidentId, entry, deps.historyTtlDays);
    } catch (error) {
      log.error(
        { err: error, incident: chain.incidentId, event: entry.event },
        'could not record call history',
      );
    }
    if (options.note === false) return;
    const actor = entry.event === 'stopped' || entry.event === 'exhausted' ? undefined : entry.responderId;
    try {
      await incidents.note(chain.incidentId, {
        kind: 'escalation',
        text: callNoteText(entry, chain),
        ...(actor === undefined ? {} : { actor }),
      });
    } catch (error) {
      log.error(
        { err: error, incident: chain.incidentId, event: entry.event },
        'could not add escalation note',
      );
    }
  }

  async function announceEnd(
    chain: Chain,
    reason: 'exhausted' | 'no_responders',
    now: number,
  ): Promise<void> {
    await record(chain, { event: 'exhausted', attempt: 0, detail: reason }, now);
    const incident = await incidents.get(chain.incidentId);
    const title = incident?.title ?? chain.incidentId;
    deps.thread.reply(chain.incidentId, nobodyAnsweredText({ id: chain.incidentId, title }, reason));
    const total = chain.responders.length * chain.rounds;
    log.warn({ incident: chain.incidentId, reason, calls: total }, 'phone escalation ended: nobody took it');
    try {
      await deps.notifier.error({
        system: '',
        occurredAt: new Date(now),
        kind: reason === 'no_responders' ? 'ESCALATION_NO_RESPONDERS' : 'ESCALATION_EXHAUSTED',
        message:
          reason === 'no_responders'
            ? `${chain.incidentId} is unacknowledged and nobody is on call to phone: ${title}`
            : `Nobody answered the phone for ${chain.incidentId}: ${title}`,
        details: {
          incident: chain.incidentId,
          severity: incident?.severity ?? 'unknown',
          calls: total,
          rounds: chain.rounds,
          responders: chain.responders.map((r) => maskPhone(r.phone)).join(', ') || 'none',
        },
      });
    } catch (error) {
      log.error({ err: error, incident: chain.incidentId }, 'could not send the nobody-answered notice');
    }
  }

  /** A call that ended without an accept; false when another step moved the chain first. */
  async function missed(
    chain: Chain,
    event: MissedEvent,
    now: number,
    extra: { errorKind?: CallErrorKind; detail?: string } = {},
  ): Promise<boolean> {
    const next = afterMissedCall(chain, now, policy);
    if (!(await chains.replace(chain, next))) return false;
    await deps.lines?.release(chain, now);
    // The call's ContactId goes into the record, so a repeat of the same response (the contact flow retried, a
    // second key press) is recognised as already recorded (contact-flow `late`) and not recorded twice.
    const contact = chain.contactId === undefined ? {} : { contactId: chain.contactId };
    await record(chain, { event, ...slotFields(chain, chain.attempt), ...contact, ...extra }, now);
    if (next.phase === 'exhausted') await announceEnd(next, 'exhausted', now);
    return true;
  }

  /** Any active phase → stopped, retrying while other steps move the chain under us. */
  async function stop(incidentId: string, reason: StopReason, now: number, by?: string): Promise<boolean> {
    for (let i = 0; i < STOP_ATTEMPTS; i += 1) {
      const chain = await chains.load(incidentId);
      if (chain === undefined || chain === 'foreign' || !isActive(chain)) return false;
      if (await chains.replace(chain, stopChain(chain, reason, now, by))) {
        if (chain.phase !== 'retry_wait') await deps.lines?.release(chain, now);
        log.info({ incident: incidentId, reason, attempt: chain.attempt }, 'phone escalation stopped');
        await record(chain, { event: 'stopped', attempt: chain.attempt, detail: reason }, now);
        return true;
      }
    }
    log.warn({ incident: incidentId, reason }, 'could not stop the phone chain: it kept changing');
    return false;
  }

  /**
   * Places the call of `chain.attempt`. The caller has just written the chain into `calling` for this
   * attempt, so no one else is placing it. Right before dialling, the incident and InProgress are read
   * again: an ack, resolve or owner that landed since the tick began stops the chain instead.
   */
  async function placeCall(chain: Chain, now: number, options: { resent?: boolean } = {}): Promise<void> {
    const slot = slotOf(chain, chain.attempt);
    if (slot === undefined) throw new Error(`chain ${chain.incidentId} has no call ${chain.attempt}`);
    const incident = await incidents.get(chain.incidentId);
    const owner = incident === undefined ? undefined : await currentOwner(inProgress, incident);
    if (incident === undefined || incident.status === 'resolved') {
      await stop(chain.incidentId, 'resolved', now, incident?.resolvedBy);
      return;
    }
    if (owner !== undefined) {
      await stop(chain.incidentId, 'owned', now, owner.responderId);
      return;
    }
    if (incident.status === 'acknowledged') {
      await stop(chain.incidentId, 'acknowledged', now, incident.acknowledgedBy);
      return;
    }
    const fields = slotFields(chain, chain.attempt);
    let contactId: string;
    try {
      ({ contactId } = await caller.startCall({
        phone: slot.responder.phone,
        attributes: {
          [CallAttributes.incidentId]: incident.id,
          [CallAttributes.title]: incident.title.slice(0, TITLE_ATTRIBUTE_MAX),
          [CallAttributes.severity]: incident.severity,
          [CallAttributes.responderId]: slot.responder.userId,
          [CallAttributes.attempt]: String(chain.attempt),
        },
        clientToken: clientTokenFor({
          incidentId: incident.id,
          openedAt: openedAtOf(incident),
          attempt: chain.attempt,
        }),
      }));
    } catch (error) {
      const errorKind = callErrorKindOf(error);
      log.warn(
        { err: error, incident: incident.id, attempt: chain.attempt, phone: fields.phone, errorKind },
        'call could not be placed: counted as no answer',
      );
      const detail = error instanceof Error ? error.message.slice(0, 300) : undefined;
      const extra = { errorKind, ...(detail === undefined ? {} : { detail }) };
      // A stop may have won the chain meanwhile; the failed attempt still belongs in the history.
      if (!(await missed(chain, 'failed', now, extra))) {
        await record(chain, { event: 'failed', ...fields, ...extra }, now);
      }
      return;
    }
    const written = await chains.replace(chain, callStarted(chain, contactId, now));
    if (options.resent === true) {
      // The first send may have been recorded before the crash that made us re-send it.
      const known = await callHistory.list(chain.incidentId);
      if (known.some((r) => r.event === 'started' && r.contactId === contactId)) return;
    }
    log.info(
      {
        incident: incident.id,
        attempt: chain.attempt,
        round: fields.round,
        phone: fields.phone,
        contactId,
        written,
      },
      'call placed',
    );
    await record(chain, { event: 'started', ...fields, contactId }, now);
  }

  /** The responder took it: chain accepted, InProgress claimed, incident acknowledged by them. */
  async function accept(
    chain: Chain,
    call: Pick<CallRecord, 'attempt'> & { responderId: string; contactId: string; late?: boolean },
    now: number,
  ): Promise<boolean> {
    if (!(await chains.replace(chain, acceptCall(chain, call.responderId, now)))) return false;
    await deps.lines?.release(chain, now);
    const claimed = await inProgress.claim(
      chain.incidentId,
      { responderId: call.responderId, contactId: call.contactId, via: 'phone' },
      deps.historyTtlDays * 86_400,
    );
    log.info({ incident: chain.incidentId, attempt: call.attempt, claimed }, 'call accepted');
    await record(
      chain,
      {
        event: 'accepted',
        ...slotFields(chain, call.attempt),
        contactId: call.contactId,
        ...(call.late === true ? { late: true } : {}),
      },
      now,
    );
    await incidents.acknowledge(chain.incidentId, call.responderId);
    return true;
  }

  return { record, announceEnd, missed, stop, placeCall, accept };
}

export type EscalationSteps = ReturnType<typeof createEscalationSteps>;
