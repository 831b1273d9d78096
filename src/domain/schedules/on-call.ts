/**
 * Who is on call: the one function every view and the escalation ask (schedule + overrides + instant → users),
 * so `/oncall`, App Home, the API, the user group, the iCal feed and the escalation can never disagree.
 *
 * Resolution, at each instant: an override of the schedule wins; otherwise the last layer that has someone
 * on call there (started, and inside its restriction windows); otherwise nobody. Everything is computed as a
 * timeline over a span, then merged where the same person stays on call, so a shift's `from`/`until` are when
 * that person really starts and stops (across layers and turns), not a layer's turn boundaries.
 */
import type { Schedule } from '../oncall-config.js';
import type { Override } from './overrides.js';
import { layerSegments, localSpan, type LayerSegment, type Span } from './rotation.js';

/** One person on call without a break: [from, until), epoch ms. */
export interface Shift {
  readonly user: string;
  readonly from: number;
  readonly until: number;
}

/** A piece of the schedule's timeline: someone, or nobody (`user` undefined), over [from, until). */
export interface TimelineSegment {
  readonly user: string | undefined;
  readonly from: number;
  readonly until: number;
}

/** A shift as views show it; `null` when it starts or ends beyond `VIEW_HORIZON_DAYS` of the instant asked. */
export interface ShiftView {
  readonly user: string;
  readonly from: number | null;
  readonly until: number | null;
}

export interface OnCallView {
  /** Who is on call at the instant (nobody, or one person today; a list so the shape can grow). */
  readonly onCall: readonly ShiftView[];
  /** The shifts that follow, soonest first, skipping gaps with nobody on call. */
  readonly next: readonly ShiftView[];
}

const DAY_MS = 86_400_000;
/** How far views look for the edges of a shift before calling them open (`null`). */
export const VIEW_HORIZON_DAYS = 366;
const FIRST_LOOK_DAYS = 8;

/** The schedule's timeline over `span`: contiguous, merged where the person on call stays the same. */
export function timeline(schedule: Schedule, overrides: readonly Override[], span: Span): TimelineSegment[] {
  if (span.until <= span.from) return [];
  const local = localSpan(span, schedule.timeZone);
  const layers = schedule.layers.map((layer) => layerSegments(layer, local));
  const own = overrides.filter(
    (o) => o.schedule === schedule.id && o.start < span.until && span.from < o.end && o.start < o.end,
  );
  const points = new Set<number>([span.from, span.until]);
  for (const segments of layers) for (const s of segments) points.add(s.from).add(s.until);
  for (const o of own) points.add(Math.max(o.start, span.from)).add(Math.min(o.end, span.until));
  const sorted = [...points].sort((a, b) => a - b);

  const cursors = layers.map(() => 0);
  const result: TimelineSegment[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const from = sorted[i] as number;
    const until = sorted[i + 1] as number;
    const user =
      own.findLast((o) => o.start <= from && from < o.end)?.user ?? layerUserAt(layers, cursors, from);
    const previous = result.at(-1);
    if (previous !== undefined && previous.user === user) result[result.length - 1] = { ...previous, until };
    else result.push({ user, from, until });
  }
  return result;
}

/** The last layer with a segment holding `instant`; `cursors` only move forward, as instants only grow. */
function layerUserAt(layers: LayerSegment[][], cursors: number[], instant: number): string | undefined {
  for (let l = layers.length - 1; l >= 0; l -= 1) {
    const segments = layers[l] as LayerSegment[];
    let c = cursors[l] as number;
    while (c < segments.length && (segments[c] as LayerSegment).until <= instant) c += 1;
    cursors[l] = c;
    const segment = segments[c];
    if (segment !== undefined && segment.from <= instant) return segment.user;
  }
  return undefined;
}

/** Who is on call at `instant` (empty: nobody). The escalation's question; cheap (one instant, no merging). */
export function whoIsOnCall(schedule: Schedule, overrides: readonly Override[], instant: number): string[] {
  const user = timeline(schedule, overrides, { from: instant, until: instant + 1 })[0]?.user;
  return user === undefined ? [] : [user];
}

/** Every shift overlapping [from, until), clipped to it: the iCal feed, handoff notices. */
export function shiftsBetween(schedule: Schedule, overrides: readonly Override[], span: Span): Shift[] {
  return timeline(schedule, overrides, span).flatMap((s) =>
    s.user === undefined ? [] : [{ user: s.user, from: s.from, until: s.until }],
  );
}

/**
 * Who is on call at `instant`, since when and until when, and the `next` shifts after that: what `/oncall`,
 * App Home and `GET /api/oncall` show. Looks a week either side first and further (up to VIEW_HORIZON_DAYS)
 * only when a shift reaches the edge of what it looked at.
 */
export function onCallView(
  schedule: Schedule,
  overrides: readonly Override[],
  instant: number,
  next = 2,
): OnCallView {
  for (let days = FIRST_LOOK_DAYS; ; days = Math.min(days * 2, VIEW_HORIZON_DAYS)) {
    const span = { from: instant - days * DAY_MS, until: instant + days * DAY_MS };
    const segments = timeline(schedule, overrides, span);
    const atHorizon = days >= VIEW_HORIZON_DAYS;
    const view = (s: TimelineSegment, user: string): ShiftView => ({
      user,
      from: s.from > span.from ? s.from : null,
      until: s.until < span.until ? s.until : null,
    });
    const current = segments.findIndex((s) => s.from <= instant && instant < s.until);
    const now = segments[current] as TimelineSegment;
    const following = segments.slice(current + 1).filter((s) => s.user !== undefined);
    const upcoming = following.slice(0, next);
    // Settled when every edge shown lies inside the span looked at; otherwise look twice as far.
    const settled =
      (now.user === undefined || (now.from > span.from && now.until < span.until)) &&
      upcoming.length === next &&
      upcoming.every((s) => s.until < span.until);
    if (settled || atHorizon) {
      return {
        onCall: now.user === undefined ? [] : [view(now, now.user)],
        next: upcoming.map((s) => view(s, s.user as string)),
      };
    }
  }
}
