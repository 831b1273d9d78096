/**
 * Incidents: the state machine (triggered → acknowledged → resolved, or triggered → resolved) as pure functions.
 * Each transition takes the current incident and returns the next one, or a result saying why not; nothing here
 * throws for a business outcome, reads a clock or touches storage. `version` goes up by one on every change, so
 * the store can make each transition a conditional write on the version it read.
 *
 * Times passed in are milliseconds since the epoch (what `Clock.now()` returns); times stored are ISO 8601 UTC.
 */
import { firingsOf, maxSeverity, type AlertLink, type AlertSignal, type Severity } from './alert.js';
import { storableFields } from './storable.js';

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export type TimelineKind =
  | 'opened'
  | 'folded'
  | 'acknowledged'
  | 'resolved'
  | 'watch'
  | 'unwatch'
  | 'note'
  | 'analysis'
  | 'report'
  | 'escalation';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  /** A Slack user id, or `system:<source>` for signal-driven changes. */
  actor?: string;
  text: string;
}

export interface Incident {
  /** `INC-42` */
  id: string;
  number: number;
  fingerprint: string;
  status: IncidentStatus;
  severity: Severity;
  title: string;
  message?: string;
  source?: string;
  details?: Record<string, unknown>;
  links: AlertLink[];
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  watchers: string[];
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  resolvedBy?: string;
  resolvedAt?: string;
  resolveNote?: string;
  slack?: { channel: string; ts: string };
  /**
   * The version the Slack message shows: behind `version`, the message still needs an edit (a restart makes it;
   * src/store/incident-shown.ts). Written by attachSlackMessage, then by the store after each edit.
   */
  slackShownVersion?: number;
  /** The incident report, once published (Reporting); a rerun updates the same page, so there is one. */
  report?: IncidentReport;
  timeline: TimelineEntry[];
  version: number;
}

export interface IncidentReport {
  /** Where people read it: the Confluence page, or the local HTML report. */
  url: string;
  /** The Confluence page id (or the local report's key). */
  id: string;
  version: number;
  publishedAt: string;
}

/**
 * Timeline entries kept on the incident. The full history lives in the Slack thread; the copy here feeds
 * `/incident show` and reports, and must keep the item far below DynamoDB's 400 KB item limit however long an
 * incident flaps (200 entries × ≤ ~1 KB each). The `opened` entry is always kept, then the newest ones.
 */
export const TIMELINE_LIMIT = 200;
/** Longest text kept in one timeline entry (a resolve note, an analysis summary). */
export const TIMELINE_TEXT_MAX = 1000;
/** Most links kept on an incident; repeats merge theirs in by URL. */
export const LINKS_MAX = 10;

const ID_PATTERN = /^\s*(?:inc-?|#)?0*(\d{1,9})\s*$/i;

export function formatIncidentId(number: number): string {
  return `INC-${number}`;
}

/** `INC-42`, `inc-42`, `inc42`, `#42` and `42` all give `INC-42`; anything else gives undefined. */
export function parseIncidentId(text: string): string | undefined {
  const digits = ID_PATTERN.exec(text)?.[1];
  if (digits === undefined) return undefined;
  const number = Number(digits);
  return number >= 1 ? formatIncidentId(number) : undefined;
}

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'resolved';
}

export interface OpenIncidentInput {
  number: number;
  signal: AlertSignal;
  fingerprint: string;
  now: number;
  /** Who opened it: a Slack user id for `/incident new`; defaults to `system:<source>`. */
  openedBy?: string;
}

/**
 * A new incident from its first signal. First and last seen are the time Hikeshi received it (`now`), not the
 * sender's `occurredAt`: senders' clocks drift, and "last seen" must only ever move forward.
 */
export function openIncident({ number, signal, fingerprint, now, openedBy }: OpenIncidentInput): Incident {
  const at = iso(now);
  const stored = storableFields(signal);
  return {
    id: formatIncidentId(number),
    number,
    fingerprint,
    status: 'triggered',
    severity: signal.severity,
    title: signal.title,
    ...(stored.message !== undefined ? { message: stored.message } : {}),
    ...(signal.source !== undefined ? { source: signal.source } : {}),
    ...(stored.details !== undefined ? { details: stored.details } : {}),
    links: mergeLinks([], stored.links),
    count: firingsOf(signal),
    firstSeenAt: at,
    lastSeenAt: at,
    watchers: [],
    timeline: [
      entry(
        at,
        'opened',
        openedBy !== undefined && !openedBy.startsWith('system:')
          ? `Opened by hand (${signal.severity})`
          : `Opened from ${signal.source ?? 'an alert'} (${signal.severity})`,
        openedBy ?? systemActor(signal),
      ),
    ],
    version: 1,
  };
}

export type FoldResult =
  { ok: true; incident: Incident; escalated: boolean } | { ok: false; reason: 'resolved' };

/**
 * A repeat of the incident's alert: count + its firings (1 unless the sender folded repeats), last seen moves to `now`, message/details/links refreshed from the
 * repeat when it carries them, severity raised to the worst seen (never lowered). The title stays the first one.
 *
 * Routine repeats add no timeline entry — count and last seen already say it, and fifty identical alerts must not
 * mean fifty thread replies. Only an escalation of severity is recorded (kind `folded`).
 * A resolved incident does not fold; the caller opens a new one.
 */
export function foldSignal(incident: Incident, signal: AlertSignal, now: number): FoldResult {
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  const at = iso(now);
  const severity = maxSeverity(incident.severity, signal.severity);
  const escalated = severity !== incident.severity;
  const count = incident.count + firingsOf(signal);
  const stored = storableFields(signal);
  const next: Incident = {
    ...incident,
    severity,
    count,
    lastSeenAt: later(incident.lastSeenAt, at),
    ...(stored.message !== undefined ? { message: stored.message } : {}),
    ...(stored.details !== undefined ? { details: stored.details } : {}),
    links: mergeLinks(incident.links, stored.links),
    timeline: escalated
      ? appendEntry(
          incident.timeline,
          entry(
            at,
            'folded',
            `Severity raised ${incident.severity} → ${severity} by a repeat alert (count ${count})`,
            systemActor(signal),
          ),
        )
      : incident.timeline,
    version: incident.version + 1,
  };
  return { ok: true, incident: next, escalated };
}

export interface ActorInput {
  /** A Slack user id, or `system:<source>` when a signal does it. */
  by: string;
  now: number;
}

export type AcknowledgeResult =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'already_acknowledged'; by: string }
  | { ok: false; reason: 'resolved' };

export function acknowledge(incident: Incident, { by, now }: ActorInput): AcknowledgeResult {
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  if (incident.status === 'acknowledged') {
    return { ok: false, reason: 'already_acknowledged', by: incident.acknowledgedBy ?? 'unknown' };
  }
  const at = iso(now);
  return {
    ok: true,
    incident: {
      ...incident,
      status: 'acknowledged',
      acknowledgedBy: by,
      acknowledgedAt: at,
      timeline: appendEntry(incident.timeline, entry(at, 'acknowledged', 'Acknowledged', by)),
      version: incident.version + 1,
    },
  };
}

export type ResolveResult =
  { ok: true; incident: Incident } | { ok: false; reason: 'already_resolved'; by: string };

/** Allowed from triggered and from acknowledged. */
export function resolve(
  incident: Incident,
  { by, now, note }: ActorInput & { note?: string },
): ResolveResult {
  if (incident.status === 'resolved') {
    return { ok: false, reason: 'already_resolved', by: incident.resolvedBy ?? 'unknown' };
  }
  const at = iso(now);
  const trimmedNote = note?.trim();
  const hasNote = trimmedNote !== undefined && trimmedNote !== '';
  return {
    ok: true,
    incident: {
      ...incident,
      status: 'resolved',
      resolvedBy: by,
      resolvedAt: at,
      ...(hasNote ? { resolveNote: clip(trimmedNote) } : {}),
      timeline: appendEntry(
        incident.timeline,
        entry(at, 'resolved', hasNote ? `Resolved: ${trimmedNote}` : 'Resolved', by),
      ),
      version: incident.version + 1,
    },
  };
}

export type ToggleWatcherResult =
  { ok: true; incident: Incident; watching: boolean } | { ok: false; reason: 'resolved' };

/**
 * Adds the user to the watchers, or removes them if already there; `watching` is the new state. A resolved
 * incident changes nothing (the issue: a button on a resolved incident answers ephemerally and changes nothing).
 */
export function toggleWatcher(incident: Incident, userId: string, now: number): ToggleWatcherResult {
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  const at = iso(now);
  const watching = !incident.watchers.includes(userId);
  return {
    ok: true,
    watching,
    incident: {
      ...incident,
      watchers: watching ? [...incident.watchers, userId] : incident.watchers.filter((w) => w !== userId),
      timeline: appendEntry(
        incident.timeline,
        entry(at, watching ? 'watch' : 'unwatch', watching ? 'Started watching' : 'Stopped watching', userId),
      ),
      version: incident.version + 1,
    },
  };
}

/** A free-form timeline entry (a note, an analysis or report result, an escalation step). */
export function addTimelineEntry(
  incident: Incident,
  input: { kind: TimelineKind; text: string; actor?: string; now: number },
): Incident {
  return {
    ...incident,
    timeline: appendEntry(incident.timeline, entry(iso(input.now), input.kind, input.text, input.actor)),
    version: incident.version + 1,
  };
}

/** Records the published report and adds its `report` timeline entry ("Report version 2 published to …"). */
export function attachReport(
  incident: Incident,
  report: Omit<IncidentReport, 'publishedAt'>,
  input: { by: string; now: number; target: string },
): Incident {
  const at = iso(input.now);
  const text = `Report version ${report.version} published to ${input.target}`;
  return {
    ...incident,
    report: { ...report, publishedAt: at },
    timeline: appendEntry(incident.timeline, entry(at, 'report', text, input.by)),
    version: incident.version + 1,
  };
}

/** Records where the incident's Slack message lives, once it has been posted. */
/**
 * Records where the incident's message was posted. `rendered` is the version the message was rendered from: if
 * the incident has not changed since, the message shows the new version too (it does not display `slack`).
 */
export function attachSlackMessage(
  incident: Incident,
  slack: { channel: string; ts: string },
  rendered?: number,
): Incident {
  const version = incident.version + 1;
  const shown = rendered === incident.version ? version : rendered;
  return {
    ...incident,
    slack: { channel: slack.channel, ts: slack.ts },
    version,
    ...(shown === undefined ? {} : { slackShownVersion: shown }),
  };
}

/** Appends, keeping the first (`opened`) entry and the newest ones, at most TIMELINE_LIMIT in all. */
export function appendEntry(timeline: TimelineEntry[], next: TimelineEntry): TimelineEntry[] {
  const all = [...timeline, next];
  if (all.length <= TIMELINE_LIMIT) return all;
  const [first, ...rest] = all;
  return first === undefined ? all : [first, ...rest.slice(rest.length - (TIMELINE_LIMIT - 1))];
}

/** Existing links first, then new URLs, at most LINKS_MAX. */
export function mergeLinks(existing: AlertLink[], incoming: AlertLink[]): AlertLink[] {
  const seen = new Set<string>();
  const out: AlertLink[] = [];
  for (const link of [...existing, ...incoming]) {
    if (seen.has(link.url)) continue;
    seen.add(link.url);
    out.push(link);
    if (out.length === LINKS_MAX) break;
  }
  return out;
}

function entry(at: string, kind: TimelineKind, text: string, actor: string | undefined): TimelineEntry {
  return { at, kind, text: clip(text), ...(actor !== undefined ? { actor } : {}) };
}

/** `system:<source>` for changes a signal makes. */
export function systemActor(signal: Pick<AlertSignal, 'source'>): string {
  return `system:${signal.source ?? 'alert'}`;
}

function clip(text: string): string {
  return text.length <= TIMELINE_TEXT_MAX ? text : `${text.slice(0, TIMELINE_TEXT_MAX - 1)}…`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function later(a: string, b: string): string {
  return b > a ? b : a;
}
