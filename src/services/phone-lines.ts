/**
 * One person, one phone (issue 19, src/domain/phone-line.ts): the side effects of a person's line. A line with
 * pages waiting places ONE call naming every incident still unacknowledged; while it rings nobody else calls that
 * person; "1" acknowledges every incident the call named, through the incident service (so every chain stops).
 * Each change first wins a write conditional on the line's version, then acts: a tick in another process, or the
 * next one after a restart, never places the same call twice (a re-sent start carries the same ClientToken).
 */
import type { CallRecord } from '../domain/call-record.js';
import { callErrorKindOf } from '../domain/call-record.js';
import type { Clock } from '../domain/clock.js';
import { CallAttributes } from '../domain/contact-flow.js';
import {
  dialLine,
  lineFree,
  lineResend,
  lineRinging,
  pagesOf,
  type PhoneLine,
} from '../domain/phone-line.js';
import { maskPhone } from '../domain/phone.js';
import type { Incident } from '../domain/incident.js';
import { MAX_START_TRIES, type PhoneOutcome } from '../domain/escalation.js';
import type { Logger } from '../logger.js';
import type { IncidentService } from './incidents.js';
import type { CallHistoryRepository } from './ports/call-stores.js';
import type { EscalationStore } from './ports/escalation-store.js';
import type { PhoneCaller } from './ports/phone-caller.js';

/** Attributes a line's call carries besides the flat list's: which line, and every incident it names. */
export const LineAttributes = {
  lineUser: 'lineUser',
  lineToken: 'lineToken',
  incidentIds: 'incidentIds',
} as const;

/** How long a sent start may go without its ContactId recorded before it is sent again (same token). */
export const LINE_START_LEASE_MS = 30_000;
/** Re-reads when a line write loses a race: each loss means the line just moved. */
const ATTEMPTS = 5;
const TITLE_ATTRIBUTE_MAX = 256;

export interface PhoneLineDeps {
  store: EscalationStore;
  incidents: Pick<IncidentService, 'get' | 'acknowledge' | 'note'>;
  phones(userIds: readonly string[]): Promise<Map<string, string>>;
  caller: PhoneCaller;
  callHistory: CallHistoryRepository<CallRecord>;
  clock: Clock;
  logger: Logger;
  answerTimeoutMs: number;
  historyTtlDays: number;
}

export function createPhoneLines(deps: PhoneLineDeps) {
  const { store, incidents, caller } = deps;
  const log = deps.logger;
  const iso = (ms: number) => new Date(ms).toISOString();

  async function record(incidentIds: readonly string[], fields: Omit<CallRecord, 'at'>, now: number) {
    await Promise.all(
      incidentIds.map((id) =>
        deps.callHistory
          .append(id, { at: iso(now), ...fields }, deps.historyTtlDays)
          .catch((error: unknown) =>
            log.error({ err: error, incident: id }, 'could not record call history'),
          ),
      ),
    );
  }

  async function note(incidentIds: readonly string[], text: string, actor?: string) {
    await Promise.all(
      incidentIds.map((id) =>
        incidents
          .note(id, { kind: 'escalation', text, ...(actor === undefined ? {} : { actor }) })
          .catch((error: unknown) =>
            log.error({ err: error, incident: id }, 'could not add escalation note'),
          ),
      ),
    );
  }

  /** The pages still worth a call: incidents that exist and are still triggered. */
  async function stillWanted(ids: readonly string[]): Promise<Incident[]> {
    const found = await Promise.all(ids.map((id) => incidents.get(id)));
    return found.filter((i): i is Incident => i !== undefined && i.status === 'triggered');
  }

  /** Sends the line's call start (first send or re-send): ringing on success, free (and recorded) on failure. */
  async function start(line: PhoneLine, phone: string, named: readonly Incident[], now: number) {
    const call = line.call;
    const first = named[0];
    if (call === undefined || first === undefined) return;
    const masked = maskPhone(phone);
    let contactId: string;
    try {
      ({ contactId } = await caller.startCall({
        phone,
        attributes: {
          [CallAttributes.incidentId]: first.id,
          [CallAttributes.title]: first.title.slice(0, TITLE_ATTRIBUTE_MAX),
          [CallAttributes.severity]: first.severity,
          [CallAttributes.responderId]: line.userId,
          [CallAttributes.attempt]: String(call.tries),
          [LineAttributes.lineUser]: line.userId,
          [LineAttributes.lineToken]: call.token,
          [LineAttributes.incidentIds]: call.incidents.join(','),
        },
        clientToken: call.token,
      }));
    } catch (error) {
      const errorKind = callErrorKindOf(error);
      log.warn({ err: error, user: line.userId, phone: masked, errorKind }, 'line call could not be placed');
      if (await store.saveLine(lineFree(line, now), line.version)) {
        await record(
          call.incidents,
          { event: 'failed', attempt: 1, responderId: line.userId, phone: masked, errorKind },
          now,
        );
        await note(call.incidents, `the call to ${masked} could not be placed (${errorKind})`, line.userId);
      }
      return;
    }
    const ringing = lineRinging(line, contactId, now, deps.answerTimeoutMs);
    if (!(await store.saveLine(ringing, line.version))) return;
    log.info({ user: line.userId, phone: masked, incidents: call.incidents, contactId }, 'line call placed');
    await record(
      call.incidents,
      { event: 'started', attempt: 1, responderId: line.userId, phone: masked, contactId },
      now,
    );
    const others = call.incidents.length > 1 ? ` (one call for ${call.incidents.join(', ')})` : '';
    await note(call.incidents, `calling ${masked}${others}`, line.userId);
  }

  /** An idle line with pages: one call for every incident still waiting, if the person has a number. */
  async function dial(line: PhoneLine, now: number): Promise<boolean> {
    const pages = pagesOf(line);
    const wanted = await stillWanted(pages);
    const phone = wanted.length === 0 ? undefined : (await deps.phones([line.userId])).get(line.userId);
    if (wanted.length === 0 || phone === undefined) {
      // Nothing to call (acknowledged meanwhile), or nobody can: drop the pages.
      const cleared = { ...line, pending: {} };
      if (!(await store.saveLine(lineFree(cleared, now), line.version))) return false;
      if (wanted.length > 0) {
        const ids = wanted.map((i) => i.id);
        await note(ids, 'not called: no phone number (they can store one with /oncall phone)', line.userId);
      }
      return true;
    }
    const calling = dialLine(
      line,
      wanted.map((i) => i.id),
      now,
      LINE_START_LEASE_MS,
    );
    if (!(await store.saveLine(calling, line.version))) return false;
    await start(calling, phone, wanted, now);
    return true;
  }

  /** A call with no outcome: the start to re-send, or the answer that never came. */
  async function overdue(line: PhoneLine, now: number): Promise<boolean> {
    const call = line.call;
    // No call, or the flat list's call outlived its lease (its process died): the flat chain records its own
    // outcome, so the line is only freed.
    if (call === undefined || call.flat === true) return store.saveLine(lineFree(line, now), line.version);
    if (line.state === 'calling' && call.tries < MAX_START_TRIES) {
      const resent = lineResend(line, now, LINE_START_LEASE_MS);
      if (!(await store.saveLine(resent, line.version))) return false;
      const phone = (await deps.phones([line.userId])).get(line.userId);
      const named = await stillWanted(call.incidents);
      if (phone !== undefined && named.length > 0) await start(resent, phone, named, now);
      else await store.saveLine(lineFree(resent, now), resent.version);
      return true;
    }
    if (!(await store.saveLine(lineFree(line, now), line.version))) return false;
    const event = line.state === 'ringing' ? 'timeout' : 'failed';
    await record(call.incidents, { event, attempt: 1, responderId: line.userId, ...contactOf(call) }, now);
    return true;
  }

  const contactOf = (call: NonNullable<PhoneLine['call']>) =>
    call.contactId === undefined ? {} : { contactId: call.contactId };

  /** Whatever the line is due for; false when another writer moved it first (the next tick looks again). */
  async function process(userId: string, now: number): Promise<boolean> {
    for (let i = 0; i < ATTEMPTS; i += 1) {
      const line = await store.line(userId);
      if (line === undefined) return false;
      if (line.dueAt !== undefined && line.dueAt > now) return false;
      const done = line.state === 'idle' ? await dial(line, now) : await overdue(line, now);
      if (done) return true;
    }
    return false;
  }

  /** The person pressed a key (or not) on a line's call. */
  async function answer(
    attributes: Record<string, string>,
    outcome: PhoneOutcome,
    contactId: string,
  ): Promise<{ result: PhoneOutcome | 'ignored'; incidents: string[] }> {
    const now = deps.clock.now();
    const userId = attributes[LineAttributes.lineUser] ?? '';
    const token = attributes[LineAttributes.lineToken] ?? '';
    const named = (attributes[LineAttributes.incidentIds] ?? '').split(',').filter((id) => id !== '');
    const line = userId === '' ? undefined : await store.line(userId);
    const current = line?.call !== undefined && line.call.token === token ? line : undefined;
    const ids = current?.call?.incidents ?? named;
    if (current !== undefined) await store.saveLine(lineFree(current, now), current.version);
    if (outcome === 'accepted') {
      // "1" takes every incident the call named: each acknowledgement stops that incident's chain.
      const taken: string[] = [];
      for (const id of ids) {
        const r = await incidents.acknowledge(id, userId);
        if (r.ok) taken.push(id);
      }
      await record(ids, { event: 'accepted', attempt: 1, responderId: userId, contactId }, now);
      log.info({ user: userId, incidents: taken }, 'line call accepted');
      return { result: taken.length > 0 ? 'accepted' : 'ignored', incidents: taken };
    }
    if (current === undefined) return { result: 'ignored', incidents: [] };
    await record(ids, { event: outcome, attempt: 1, responderId: userId, contactId }, now);
    return { result: outcome, incidents: ids };
  }

  return { process, answer, stillWanted };
}

export type PhoneLines = ReturnType<typeof createPhoneLines>;
