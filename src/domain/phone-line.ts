/**
 * One person, one phone (issue 19): every person escalation policies may call has one line. Steps that want to
 * phone someone leave a page on their line; the line places ONE call naming every incident waiting for the person
 * ("3 incidents need you: …"), and while that call is under way nobody else calls them: later pages wait on the
 * line until it is free (or until their chain moves on and withdraws them). Pressing 1 acknowledges every incident
 * the call named. Pure: the service writes each change conditionally on the line's version.
 *
 *   idle ──pages waiting──▶ calling (start sent) ──Connect answered a ContactId──▶ ringing ──1 / 2 / no answer──▶ idle
 */
import type { Severity } from './alert.js';

export type LineState = 'idle' | 'calling' | 'ringing';

export interface LineCall {
  /** The incidents this call names, in the order they were paged. */
  incidents: string[];
  /** StartOutboundVoiceContact's ClientToken: a re-send of the same start rings once. */
  token: string;
  startedAt: number;
  /** Sends of the start (re-sent when a start never recorded its result). */
  tries: number;
  contactId?: string;
  /**
   * A call of the flat list's chain (src/domain/escalation.ts): that chain places it and records its outcome; the
   * line is only held so nobody else calls the person meanwhile, and freed when the call is over (or its lease is).
   */
  flat?: boolean;
}

export interface PhoneLine {
  userId: string;
  state: LineState;
  /** Incidents waiting for a call: incident id → when the page was left (ms). */
  pending: Record<string, number>;
  call?: LineCall;
  /** When the line has work: pages to call now, a start to re-send, a call that timed out. */
  dueAt?: number;
  version: number;
}

/** The line's incidents that want a call, oldest page first. */
export function pagesOf(line: Pick<PhoneLine, 'pending'>): string[] {
  return Object.entries(line.pending)
    .sort(([a, at], [b, bt]) => at - bt || a.localeCompare(b))
    .map(([id]) => id);
}

/** A ClientToken for the line's call: Connect allows 500 characters; user ids are short. */
export function lineToken(userId: string, version: number): string {
  return `hikeshi-line-${userId}-v${version}`;
}

/** idle → calling: the pages still wanted become one call; the rest stay (none: the line has nothing to do). */
export function dialLine(
  line: PhoneLine,
  incidents: readonly string[],
  now: number,
  leaseMs: number,
): PhoneLine {
  const pending = Object.fromEntries(Object.entries(line.pending).filter(([id]) => !incidents.includes(id)));
  const version = line.version + 1;
  return {
    ...line,
    state: 'calling',
    pending,
    call: { incidents: [...incidents], token: lineToken(line.userId, version), startedAt: now, tries: 1 },
    dueAt: now + leaseMs,
    version,
  };
}

/**
 * idle (or no line yet) → calling, held by the flat list's call for `incidentId` until `now + leaseMs`; a line the
 * same incident's flat call already holds gets a fresh lease (a re-sent start). Undefined while anyone else calls
 * the person: the flat chain waits for them.
 */
export function holdLine(
  line: PhoneLine | undefined,
  hold: { userId: string; incidentId: string; token: string; now: number; leaseMs: number },
): PhoneLine | undefined {
  const dueAt = hold.now + hold.leaseMs;
  if (line !== undefined && line.state !== 'idle') {
    if (!heldByFlatCall(line, hold.incidentId)) return undefined;
    return { ...line, dueAt, version: line.version + 1 };
  }
  const call: LineCall = {
    incidents: [hold.incidentId],
    token: hold.token,
    startedAt: hold.now,
    tries: 1,
    flat: true,
  };
  const base = line ?? { userId: hold.userId, state: 'idle', pending: {}, version: 0 };
  return { ...base, state: 'calling', call, dueAt, version: base.version + 1 };
}

/** True while the flat list's call for `incidentId` holds the line. */
export function heldByFlatCall(line: Pick<PhoneLine, 'call'>, incidentId: string): boolean {
  return line.call?.flat === true && line.call.incidents[0] === incidentId;
}

/** calling → ringing with the ContactId Connect returned; due when the answer times out. */
export function lineRinging(
  line: PhoneLine,
  contactId: string,
  now: number,
  answerTimeoutMs: number,
): PhoneLine {
  if (line.call === undefined) return line;
  return {
    ...line,
    state: 'ringing',
    call: { ...line.call, contactId },
    dueAt: now + answerTimeoutMs,
    version: line.version + 1,
  };
}

/** calling → calling, one more send of the same start (same token). */
export function lineResend(line: PhoneLine, now: number, leaseMs: number): PhoneLine {
  if (line.call === undefined) return line;
  return {
    ...line,
    call: { ...line.call, tries: line.call.tries + 1 },
    dueAt: now + leaseMs,
    version: line.version + 1,
  };
}

/** The call is over (answered either way, failed, timed out): idle, due at once if pages are waiting. */
export function lineFree(line: PhoneLine, now: number): PhoneLine {
  const { call: _call, dueAt: _due, ...rest } = line;
  const waiting = Object.keys(line.pending).length > 0;
  return { ...rest, state: 'idle', ...(waiting ? { dueAt: now } : {}), version: line.version + 1 };
}

/** What the phone says when a call names several incidents (one is read as the single-incident call is). */
export function spokenPages(incidents: readonly { id: string; title: string; severity: Severity }[]): string {
  const names = incidents.map((incident) => {
    const number = /(\d+)$/.exec(incident.id)?.[1];
    const title = incident.title
      .replace(/[<>{}[\]`*_|]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80);
    return `${incident.severity} incident ${number ?? incident.id}: ${title}`;
  });
  return (
    `This is Hikeshi. ${incidents.length} incidents need you: ${names.join('; ')}. ` +
    'Press 1 to take all of them. Press 2 if you cannot.'
  );
}
