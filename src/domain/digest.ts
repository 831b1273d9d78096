/**
 * Storm digests (issue 20): when more than DIGEST_AFTER incidents open in one channel within a calendar minute,
 * the next ones of that minute are shown in one digest message instead of one message each, because a channel
 * takes about one post a second (436 distinct alerts once took 7 minutes to reach Slack).
 *
 * The rules, pure:
 * - an incident opening in a channel draws its ordinal in that channel-minute (a durable counter, so several
 *   processes agree); ordinals up to DIGEST_AFTER get their own message, the rest join the minute's digest;
 * - a storm that goes on into the next minute goes on in that minute's digest from its first incident (the
 *   previous minute had more than DIGEST_AFTER), so a minute boundary does not post another five messages;
 * - a digested incident stays stored, listed and escalated as usual; it gets its own message (and with it a
 *   thread and its buttons) once a person acts on it (opens it from the digest, acknowledges it, …) or its
 *   escalation reaches it: what `wantsOwnMessage` marks on it, durably, in the same write as that change;
 * - a reopen is a new firing, and the on-call engineer must see it: an incident with its own message has that
 *   message set back to triggered; one shown only by a digest (likely scrolled far up by then) is placed as a new
 *   incident would be — in the current minute's digest during a storm, marked reopened, else in a message of its
 *   own (`placeReopened`).
 */
import type { Severity } from './alert.js';
import type { Incident, TimelineEntry } from './incident.js';

/** Where an incident is shown while it has no message of its own: stored on the incident. */
export interface IncidentDigestRef {
  /** The digest's id: `<channel>/<minute>`. */
  id: string;
  /** When it was asked for a message of its own (ISO 8601), after which the digest no longer stands for it. */
  ownMessageAt?: string;
}

/** What a digest shows of one of its incidents, written once when the incident joins. */
export interface DigestMember {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  source?: string;
  /** `name=value` of the label it is grouped by (DIGEST_GROUP_LABELS), if it has one. */
  label?: string;
  /** It joined this digest by being reopened (a new firing of an older incident). */
  reopened?: true;
}

/**
 * A digest: one channel, one calendar minute. It keeps only what its message shows, bounded however large the
 * storm (each member is stored on its own, listed by "List all"): the count, the first few members and the
 * members by source and label, so that an incident joining costs the same whether it is the 10th or the 5,000th.
 */
export interface Digest {
  id: string;
  /** The channel as configured (id or name). */
  channel: string;
  /** The minute's start, ISO 8601 (`2026-01-14T10:31:00.000Z`). */
  minute: string;
  /** Incidents that opened in the channel that minute: the ones with their own message included. */
  opened: number;
  /** Its members: incidents shown by it (a counter, each member counted once). */
  count: number;
  /** The first members that joined, at most DIGEST_FIRST_KEPT. */
  first: DigestMember[];
  /** Members by source and label, at most DIGEST_GROUPS_KEPT groups (the first to appear). */
  groups: DigestGroup[];
  /** Members of groups past DIGEST_GROUPS_KEPT, not told apart. */
  ungrouped: number;
  slack?: { channel: string; ts: string };
  /** Moves on with every member that joins. */
  version: number;
  /** The version the Slack message shows. */
  slackShownVersion?: number;
}

/** Default DIGEST_AFTER: incidents a channel shows one by one in a minute before the rest go into a digest. */
export const DEFAULT_DIGEST_AFTER = 5;
/** Labels a digest groups by, the first one an incident has (Alertmanager labels, Events v2 details, …). */
export const DIGEST_GROUP_LABELS = ['alertname', 'service', 'app', 'job', 'team', 'namespace'] as const;
/** Longest title and label kept in a digest member (a Slack line, and a small item each). */
export const MEMBER_TITLE_MAX = 120;
export const MEMBER_TEXT_MAX = 60;

/** Members a digest lists a page at a time ("List all": a block each, far below a view's 100). */
export const DIGEST_MEMBERS_PER_PAGE = 20;
/** Members a digest keeps to show by title: the message shows DIGEST_TITLES_SHOWN (blocks/digest-message.ts). */
export const DIGEST_FIRST_KEPT = 5;
/**
 * Groups a digest counts: the message shows 8, and one section (3,000 characters) holds about 30 group lines.
 * Bounded, so a storm of distinct labels does not grow the digest (DynamoDB bills and limits by item size).
 */
export const DIGEST_GROUPS_KEPT = 30;

const MINUTE_MS = 60_000;

/** The start of the calendar minute `now` falls in, ISO 8601. */
export function digestMinuteOf(now: number): string {
  return new Date(Math.floor(now / MINUTE_MS) * MINUTE_MS).toISOString();
}

/** The minute before `minute` (ISO 8601 in, ISO 8601 out). */
export function previousMinute(minute: string): string {
  return new Date(Date.parse(minute) - MINUTE_MS).toISOString();
}

/** `alerts/2026-01-14T10:31Z`: short enough for a button value and a message metadata payload. */
export function digestIdOf(channel: string, minute: string): string {
  return `${channel}/${minute.slice(0, 16)}Z`;
}

/**
 * Whether the incident with `ordinal` in its channel-minute joins the digest: past `digestAfter`, or any of a
 * minute whose previous minute was a storm. `digestAfter` 0 turns digests off.
 */
export function joinsDigest(input: {
  ordinal: number;
  digestAfter: number;
  previousOpened: number;
}): boolean {
  const { ordinal, digestAfter, previousOpened } = input;
  if (digestAfter <= 0) return false;
  return ordinal > digestAfter || previousOpened > digestAfter;
}

/** The incident is shown only by its digest: no message of its own, none asked for. */
export function inDigestOnly(incident: Pick<Incident, 'digest' | 'slack'>): boolean {
  return incident.digest !== undefined && incident.digest.ownMessageAt === undefined && !incident.slack;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `alertname=HighLatency`: the first DIGEST_GROUP_LABELS label with a text value. */
export function groupLabelOf(details: Incident['details']): string | undefined {
  if (details === undefined) return undefined;
  for (const name of DIGEST_GROUP_LABELS) {
    const value = details[name];
    if (typeof value === 'string' && value.trim() !== '')
      return clip(`${name}=${value.trim()}`, MEMBER_TEXT_MAX);
  }
  return undefined;
}

export function memberOf(incident: Incident): DigestMember {
  const label = groupLabelOf(incident.details);
  return {
    id: incident.id,
    number: incident.number,
    title: clip(incident.title, MEMBER_TITLE_MAX),
    severity: incident.severity,
    ...(incident.source === undefined ? {} : { source: clip(incident.source, MEMBER_TEXT_MAX) }),
    ...(label === undefined ? {} : { label }),
    ...((incident.reopenCount ?? 0) > 0 ? { reopened: true as const } : {}),
  };
}

export interface DigestGroup {
  source?: string;
  label?: string;
  count: number;
  /** The worst severity in the group. */
  severity: Severity;
}

const RANK: Record<Severity, number> = { critical: 3, error: 2, warning: 1, info: 0 };

/** The key a member's group is counted under: its source and label. */
export function groupKeyOf(member: Pick<DigestMember, 'source' | 'label'>): string {
  return JSON.stringify([member.source ?? null, member.label ?? null]);
}

/** The worse of two severities. */
export function worseSeverity(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}

/** What a digest shows of its members: the parts of `Digest` that members change. */
export type DigestSummary = Pick<Digest, 'count' | 'first' | 'groups' | 'ungrouped'>;

export const EMPTY_SUMMARY: DigestSummary = { count: 0, first: [], groups: [], ungrouped: 0 };

/**
 * The summary after `member` joins: what the store does to the digest record in its writes (a pure model of it,
 * for the message's tests and for the rules in one place).
 */
export function withMember(summary: DigestSummary, member: DigestMember): DigestSummary {
  const key = groupKeyOf(member);
  const kept = summary.groups.some((g) => groupKeyOf(g) === key);
  let groups = summary.groups;
  let ungrouped = summary.ungrouped;
  if (kept) {
    groups = groups.map((g) =>
      groupKeyOf(g) === key
        ? { ...g, count: g.count + 1, severity: worseSeverity(g.severity, member.severity) }
        : g,
    );
  } else if (groups.length < DIGEST_GROUPS_KEPT) {
    groups = [
      ...groups,
      {
        ...(member.source === undefined ? {} : { source: member.source }),
        ...(member.label === undefined ? {} : { label: member.label }),
        count: 1,
        severity: member.severity,
      },
    ];
  } else ungrouped += 1;
  const first = summary.first.length < DIGEST_FIRST_KEPT ? [...summary.first, member] : summary.first;
  return { count: summary.count + 1, first, groups, ungrouped };
}

/** The summary of these members, joined in this order. */
export function summaryOf(members: readonly DigestMember[]): DigestSummary {
  return members.reduce(withMember, EMPTY_SUMMARY);
}

/** Groups largest first (then by source and label, for a stable order). */
export function groupsInOrder(groups: readonly DigestGroup[]): DigestGroup[] {
  const name = (g: DigestGroup) => `${g.source ?? ''}\u0000${g.label ?? ''}`;
  return [...groups].sort((a, b) => b.count - a.count || name(a).localeCompare(name(b)));
}

/** The first members the digest keeps, in the order they opened. */
export function firstInOrder(digest: Pick<Digest, 'first'>): DigestMember[] {
  return [...digest.first].sort((a, b) => a.number - b.number);
}

/** Timeline entries `after` has that `before` had not (the timeline keeps its newest entries). */
function addedEntries(before: Incident, after: Incident): TimelineEntry[] {
  if (after.timeline.length > before.timeline.length) return after.timeline.slice(before.timeline.length);
  const last = after.timeline.at(-1);
  return last !== undefined && last !== before.timeline.at(-1) ? [last] : [];
}

/** A person did it (a Slack user), not a signal (`system:<source>`). */
function byPerson(entry: TimelineEntry): boolean {
  return entry.actor !== undefined && !entry.actor.startsWith('system:');
}

/**
 * The change `before` → `next` of an incident shown only by its digest, with `ownMessageAt` set when that change
 * needs the incident's own message: a person acted on it, or its escalation reached it (a phone chain's notes go
 * in the incident's thread). Signals (repeats, a resolve from the alert source) leave it in the digest.
 */
export function wantsOwnMessage(before: Incident, next: Incident, now: number): Incident {
  if (!inDigestOnly(next) || next.digest === undefined) return next;
  const needs = addedEntries(before, next).some((e) => e.kind === 'escalation' || byPerson(e));
  if (!needs) return next;
  return { ...next, digest: { ...next.digest, ownMessageAt: new Date(now).toISOString() } };
}

/**
 * The reopened incident (`reopenIncident`'s result), shown where a new incident would be when it was shown only
 * by its digest: `placed` is the digest a new incident would join now (`undefined`: none, so it gets a message of
 * its own). An incident with its own message (or one asked for) keeps it.
 */
export function placeReopened(
  reopened: Incident,
  placed: IncidentDigestRef | undefined,
  now: number,
): Incident {
  if (!inDigestOnly(reopened) || reopened.digest === undefined) return reopened;
  const digest = placed ?? { ...reopened.digest, ownMessageAt: new Date(now).toISOString() };
  return { ...reopened, digest };
}

/** The change asked for the incident's own message (see wantsOwnMessage). */
export function askedForOwnMessage(before: Incident | undefined, after: Incident): boolean {
  return (
    after.digest?.ownMessageAt !== undefined &&
    after.slack === undefined &&
    (before === undefined || before.digest?.ownMessageAt === undefined)
  );
}
