/**
 * Incidents: the state machine (triggered → acknowledged → resolved, or triggered → resolved) as pure functions.
 * Each transition takes the current incident and returns the next one, or a result saying why not; nothing here
 * throws for a business outcome, reads a clock or touches storage. `version` goes up by one on every change, so
 * the store can make each transition a conditional write on the version it read.
 *
 * Times passed in are milliseconds since the epoch (what `Clock.now()` returns); times stored are ISO 8601 UTC.
 */
import { DEFAULT_SEVERITY, firingsOf, type AlertLink, type AlertSignal, type Severity } from './alert.js';
import type { IncidentDigestRef } from './digest.js';
import { formatDuration } from './duration.js';
import { storableFields } from './storable.js';
import { appendEntry, clipText, iso, timelineEntry as entry, type TimelineEntry } from './timeline.js';

export {
  appendEntry,
  TIMELINE_LIMIT,
  TIMELINE_TEXT_MAX,
  type TimelineEntry,
  type TimelineKind,
} from './timeline.js';

export {
  addTimelineEntry,
  attachReport,
  attachSlackMessage,
  toggleWatcher,
  type ToggleWatcherResult,
} from './incident-records.js';

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

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
  /** Set when it opened during a storm: its channel-minute's digest shows it until it has its own message. */
  digest?: IncidentDigestRef;
  /** The incident report, once published (Reporting); a rerun updates the same page, so there is one. */
  report?: IncidentReport;
  /** The firing last counted (AlertSignal.firingId): a re-notification of it is not counted again. */
  firingId?: string;
  /** How often it was reopened after a resolve (src/domain/reopen.ts). */
  reopenCount?: number;
  /** When the latest reopens happened (ISO 8601), oldest first, at most REOPENS_KEPT. */
  reopenedAt?: string[];
  /** Reopened FLAP_REOPENS times within an hour, as of its last reopen: its reopens start no phone chain. */
  flapping?: boolean;
  /** The alert's previous incident, resolved before the reopen window: this one opened instead of reopening it. */
  previous?: { id: string; resolvedAt: string };
  /** Resolved, and a later incident took over its fingerprint: it is never reopened. */
  supersededBy?: string;
  /** Phone escalation paused until then (ISO 8601): `/incident snooze` (src/domain/snooze.ts). */
  snoozedUntil?: string;
  snoozedBy?: string;
  /** Held by these silences (src/domain/silence.ts): nothing of it in Slack, no phone chain, until released. */
  silencedBy?: string[];
  /** Released by this silence's end summary, which lists it: no message of its own until a person acts on it. */
  silenceSummary?: string;
  /**
   * The escalation policy (ONCALL_CONFIG `escalation_policies` id, or `responders`: the flat list), chosen by the
   * first matching route when it opened, or set with `/incident policy`. Absent on incidents stored before.
   */
  policy?: string;
  /** The channel its route named: the message is posted there instead of SLACK_ALERT_CHANNEL. */
  routeChannel?: string;
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
  /** The alert's last incident, resolved too long ago to be reopened (src/domain/reopen.ts). */
  previous?: { id: string; resolvedAt: string };
}

/**
 * A new incident from its first signal. First and last seen are the time Hikeshi received it (`now`), not the
 * sender's `occurredAt`: senders' clocks drift, and "last seen" must only ever move forward.
 */
export function openIncident({
  number,
  signal,
  fingerprint,
  now,
  openedBy,
  previous,
}: OpenIncidentInput): Incident {
  const at = iso(now);
  const stored = storableFields(signal);
  const severity = signal.severity ?? DEFAULT_SEVERITY;
  const opened =
    openedBy !== undefined && !openedBy.startsWith('system:')
      ? `Opened by hand (${severity})`
      : `Opened from ${signal.source ?? 'an alert'} (${severity})`;
  const after =
    previous === undefined
      ? ''
      : `; previously ${previous.id}, resolved ${formatDuration(now - Date.parse(previous.resolvedAt))} before`;
  return {
    id: formatIncidentId(number),
    number,
    fingerprint,
    status: 'triggered',
    severity,
    title: signal.title,
    ...(stored.message !== undefined ? { message: stored.message } : {}),
    ...(signal.source !== undefined ? { source: signal.source } : {}),
    ...(stored.details !== undefined ? { details: stored.details } : {}),
    links: mergeLinks([], stored.links),
    count: firingsOf(signal),
    firstSeenAt: at,
    lastSeenAt: at,
    watchers: [],
    ...(signal.firingId !== undefined ? { firingId: signal.firingId } : {}),
    ...(previous !== undefined ? { previous: { id: previous.id, resolvedAt: previous.resolvedAt } } : {}),
    timeline: [entry(at, 'opened', `${opened}${after}`, openedBy ?? systemActor(signal))],
    version: 1,
  };
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
      ...(hasNote ? { resolveNote: clipText(trimmedNote) } : {}),
      timeline: appendEntry(
        incident.timeline,
        entry(at, 'resolved', hasNote ? `Resolved: ${trimmedNote}` : 'Resolved', by),
      ),
      version: incident.version + 1,
    },
  };
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

/** `system:<source>` for changes a signal makes. */
export function systemActor(signal: Pick<AlertSignal, 'source'>): string {
  return `system:${signal.source ?? 'alert'}`;
}
