/**
 * An incident's timeline: the entries kept on the incident (and replied in its Slack thread), and the rules that
 * keep the list bounded. Pure, like the rest of the domain.
 */

export type TimelineKind =
  | 'opened'
  | 'folded'
  | 'acknowledged'
  | 'resolved'
  | 'reopened'
  | 'snoozed'
  | 'severity'
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

/**
 * Timeline entries kept on the incident. The full history lives in the Slack thread; the copy here feeds
 * `/incident show` and reports, and must keep the item far below DynamoDB's 400 KB item limit however long an
 * incident flaps (200 entries × ≤ ~1 KB each). The `opened` entry is always kept, then the newest ones.
 */
export const TIMELINE_LIMIT = 200;
/** Longest text kept in one timeline entry (a resolve note, an analysis summary). */
export const TIMELINE_TEXT_MAX = 1000;

/** Appends, keeping the first (`opened`) entry and the newest ones, at most TIMELINE_LIMIT in all. */
export function appendEntry(timeline: TimelineEntry[], next: TimelineEntry): TimelineEntry[] {
  const all = [...timeline, next];
  if (all.length <= TIMELINE_LIMIT) return all;
  const [first, ...rest] = all;
  return first === undefined ? all : [first, ...rest.slice(rest.length - (TIMELINE_LIMIT - 1))];
}

export function timelineEntry(
  at: string,
  kind: TimelineKind,
  text: string,
  actor: string | undefined,
): TimelineEntry {
  return { at, kind, text: clipText(text), ...(actor !== undefined ? { actor } : {}) };
}

export function clipText(text: string): string {
  return text.length <= TIMELINE_TEXT_MAX ? text : `${text.slice(0, TIMELINE_TEXT_MAX - 1)}…`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
