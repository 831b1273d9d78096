/**
 * Silences and maintenance windows (issue 20), as in Alertmanager
 * (https://prometheus.io/docs/alerting/latest/alertmanager/#silences): matchers (route-matchers.ts: `=`, `!=`,
 * `=~`, `!~` over source, severity, title, dedup_key and label:<name>), a start, an end, a comment and who made it.
 * `/incident silence` makes one for one incident's fingerprint instead of matchers.
 *
 * While a silence is in force an alert it matches is stored and counted as usual, but posts nothing and pages
 * nobody: the incidents it lands on are *held* (`Incident.silencedBy`), which keeps them out of Slack (no message
 * of their own, no thread replies) and out of phone escalation. When the silence ends, the ones still firing
 * are released and listed in one summary message. Pure: the clock comes in as `now`.
 */
import type { AlertSignal } from './alert.js';
import { inDigestOnly } from './digest.js';
import type { Incident } from './incident.js';
import { matches, parseMatcher, type Matcher, type RoutingFields } from './route-matchers.js';

/** The longest silence (issue 20: "more than 30 days" is refused). */
export const SILENCE_MAX_MS = 30 * 86_400_000;
/** Matchers one silence may have; comments' longest text. */
export const SILENCE_MATCHERS_MAX = 20;
export const SILENCE_COMMENT_MAX = 500;

export interface SilenceSummary {
  /** When a process took the summary on (ISO 8601): a conditional write, so exactly one does. */
  claimedAt: string;
  postedAt?: string;
  /** How many incidents it listed (0: nothing was still firing, nothing was posted). */
  incidents?: number;
  slack?: { channel: string; ts: string };
}

export interface Silence {
  /** `sil-` and 8 hex digits: short enough to type in `/maintenance end`. */
  id: string;
  /** The matchers as written (parsed again where they are used). Empty for a fingerprint silence. */
  matchers: string[];
  /** `/incident silence`: the incident's fingerprint, matched exactly. */
  fingerprint?: string;
  /** The incident a fingerprint silence was made from, for display. */
  incidentId?: string;
  startsAt: string;
  endsAt: string;
  comment: string;
  /** A Slack user id, or `api` for `POST /api/silences`. */
  createdBy: string;
  createdAt: string;
  /** Ended early (`DELETE /api/silences/<id>`, `/maintenance end`). */
  expiredAt?: string;
  expiredBy?: string;
  /** When the open incidents it matched were held (and their phone chains stopped). */
  appliedAt?: string;
  summary?: SilenceSummary;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export function endOf(silence: Pick<Silence, 'endsAt' | 'expiredAt'>): number {
  const ends = Date.parse(silence.endsAt);
  return silence.expiredAt === undefined ? ends : Math.min(ends, Date.parse(silence.expiredAt));
}

export function stateOf(
  silence: Pick<Silence, 'startsAt' | 'endsAt' | 'expiredAt'>,
  now: number,
): SilenceState {
  if (now >= endOf(silence)) return 'expired';
  return now < Date.parse(silence.startsAt) ? 'pending' : 'active';
}

/** What a silence is matched against: the routing fields of an alert, and its fingerprint. */
export interface SilencedFields extends RoutingFields {
  readonly fingerprint: string;
}

/** Labels as matchers see them: the alert's details with a string, number or boolean value. */
function labelsOf(details: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(details ?? {})) {
    if (typeof value === 'string') labels[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') labels[name] = String(value);
  }
  return labels;
}

export function fieldsOfSignal(signal: AlertSignal, fingerprint: string): SilencedFields {
  return {
    fingerprint,
    title: signal.title,
    labels: labelsOf(signal.details),
    ...(signal.source === undefined ? {} : { source: signal.source }),
    ...(signal.severity === undefined ? {} : { severity: signal.severity }),
    ...(signal.dedupKey === undefined ? {} : { dedupKey: signal.dedupKey }),
  };
}

export function fieldsOfIncident(incident: Incident): SilencedFields {
  return {
    fingerprint: incident.fingerprint,
    title: incident.title,
    severity: incident.severity,
    labels: labelsOf(incident.details),
    ...(incident.source === undefined ? {} : { source: incident.source }),
    // A fingerprint that is not a hash is the sender's dedup_key (alert.ts, fingerprintOf).
    ...(/^[0-9a-f]{64}$/.test(incident.fingerprint) ? {} : { dedupKey: incident.fingerprint }),
  };
}

/** A silence with its matchers parsed once (stored silences were validated when made). */
export interface CompiledSilence {
  silence: Silence;
  matchers: Matcher[];
}

export function compileSilence(silence: Silence): CompiledSilence {
  const matchers: Matcher[] = [];
  for (const text of silence.matchers) {
    const parsed = parseMatcher(text);
    if (parsed.ok) matchers.push(parsed.matcher);
  }
  return { silence, matchers };
}

/** All its matchers match (and, for a fingerprint silence, the fingerprint is the one). */
export function silenceMatches(compiled: CompiledSilence, fields: SilencedFields): boolean {
  const { silence, matchers } = compiled;
  if (silence.fingerprint !== undefined && silence.fingerprint !== fields.fingerprint) return false;
  if (silence.fingerprint === undefined && matchers.length === 0) return false;
  return matchers.every((m) => matches(m, fields));
}

/** The ids of the silences in force at `now` that match. */
export function silencesFor(
  silences: readonly CompiledSilence[],
  fields: SilencedFields,
  now: number,
): string[] {
  return silences
    .filter((c) => stateOf(c.silence, now) === 'active' && silenceMatches(c, fields))
    .map((c) => c.silence.id);
}

/** Held by a silence: it shows nothing in Slack of its own and is not escalated. */
export function heldBySilence(incident: Pick<Incident, 'silencedBy'>): boolean {
  return (incident.silencedBy?.length ?? 0) > 0;
}

/**
 * Shown by no message of its own for now: a storm digest shows it (digest.ts), or a silence holds it back. An
 * incident that already has its message keeps it (edits go on; thread replies too, for changes people make).
 */
export function withoutOwnMessage(
  incident: Pick<Incident, 'silencedBy' | 'silenceSummary' | 'digest' | 'slack'>,
): boolean {
  if (inDigestOnly(incident)) return true;
  return !incident.slack && (heldBySilence(incident) || incident.silenceSummary !== undefined);
}

/**
 * The change `before` → `next` of an incident shown only by a silence's end summary: when a person acted on it or
 * its escalation reached it, it needs its own message again (as digest.ts's wantsOwnMessage does for digests).
 */
export function leavesSilenceSummary(before: Incident, next: Incident): Incident {
  if (next.silenceSummary === undefined || next.slack !== undefined) return next;
  const added =
    next.timeline.length > before.timeline.length ? next.timeline.slice(before.timeline.length) : [];
  const acted = added.some(
    (e) => e.kind === 'escalation' || (e.actor !== undefined && !e.actor.startsWith('system:')),
  );
  if (!acted) return next;
  const { silenceSummary: _left, ...rest } = next;
  return rest;
}

/** `next` (a change of the incident being written) also held by these silences. */
export function withHolds(next: Incident, silenceIds: readonly string[]): Incident {
  const held = next.silencedBy ?? [];
  const added = silenceIds.filter((id) => !held.includes(id));
  return added.length === 0 ? next : { ...next, silencedBy: [...held, ...added] };
}

/**
 * A reopened incident (a new firing) held by exactly these silences: holds from before its resolve are over, and
 * so is a summary listing it (each summary lists open incidents only).
 */
export function reheld(reopened: Incident, silenceIds: readonly string[]): Incident {
  const { silencedBy: _over, silenceSummary: _listed, ...fresh } = reopened;
  return withHolds(fresh, silenceIds);
}

/** The incident held by these silences too; undefined when it already was (no change to write). */
export function holdIncident(incident: Incident, silenceIds: readonly string[]): Incident | undefined {
  const next = withHolds(incident, silenceIds);
  return next === incident ? undefined : { ...next, version: incident.version + 1 };
}

/**
 * The incident no longer held by this silence; undefined when it was not. `listed`: the silence's end summary
 * lists it, which stands for its message until a person acts on it (leavesSilenceSummary).
 */
export function releaseIncident(
  incident: Incident,
  silenceId: string,
  listed: boolean,
): Incident | undefined {
  const held = incident.silencedBy ?? [];
  if (!held.includes(silenceId)) return undefined;
  const rest = held.filter((id) => id !== silenceId);
  const { silencedBy: _dropped, ...others } = incident;
  return {
    ...others,
    ...(rest.length === 0 ? {} : { silencedBy: rest }),
    ...(listed && !incident.slack ? { silenceSummary: silenceId } : {}),
    version: incident.version + 1,
  };
}
