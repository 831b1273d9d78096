/**
 * One layer on its own: its turns (who, from when until when) and its restriction windows, over a span of
 * instants. Turn boundaries are local wall-clock times in the schedule's zone, converted one by one by
 * wall-clock.ts, so a daily 09:00 handoff stays at 09:00 across DST changes; an `{hours: N}` rotation is the
 * exception by definition (N real hours). Instants are epoch milliseconds; spans are half-open [from, until).
 */
import type { Layer, Restriction, Weekday } from '../oncall-config.js';
import { WEEKDAYS } from '../oncall-config.js';
import {
  daysBetween,
  instantToLocal,
  localToInstant,
  parseLocalDate,
  weekdayOf,
  type LocalDate,
} from './wall-clock.js';

export interface Span {
  readonly from: number;
  readonly until: number;
}

export interface LayerSegment extends Span {
  readonly user: string;
}

/** A span with what the clocks in its zone show at its ends, read once for every layer of a schedule. */
export interface LocalSpan extends Span {
  readonly zone: string;
  readonly fromDate: LocalDate;
  readonly untilDate: LocalDate;
}

export function localSpan(span: Span, zone: string): LocalSpan {
  const fromDate = instantToLocal(span.from, zone).toPlainDate();
  const untilDate = span.until - span.from <= 1 ? fromDate : instantToLocal(span.until, zone).toPlainDate();
  return { from: span.from, until: span.until, zone, fromDate, untilDate };
}

const HOUR_MS = 3_600_000;

/** A layer's turn boundaries: `start(k)` is when turn k begins; non-decreasing in k. */
interface TurnClock {
  start(k: number): number;
  /** A turn index near the one holding `instant` (whose local date is `date`); `turnAt` corrects it. */
  estimate(instant: number, date: LocalDate): number;
}

/** Each layer's clock, kept: a config is frozen and long-lived, and every question about a layer needs it. */
const clocks = new WeakMap<Layer, { zone: string; clock: TurnClock }>();

function turnClock(layer: Layer, zone: string): TurnClock {
  const known = clocks.get(layer);
  if (known?.zone === zone) return known.clock;
  const clock = newTurnClock(layer, zone);
  clocks.set(layer, { zone, clock });
  return clock;
}

function newTurnClock(layer: Layer, zone: string): TurnClock {
  const startDate = parseLocalDate(layer.start);
  // The config loader only lets valid dates through; a hand-built Layer with a bad one is a programming error.
  if (startDate === undefined)
    throw new RangeError(`layer start ${JSON.stringify(layer.start)} is not a date`);
  const at = (date: LocalDate) => localToInstant(date, layer.handoff, zone);
  const rotation = layer.rotation;
  switch (rotation.kind) {
    case 'daily':
      return {
        start: (k) => at(startDate.add({ days: k })),
        estimate: (_, date) => daysBetween(startDate, date),
      };
    case 'weekly': {
      // Turn 1 starts on the first handoff day after `start`; turn 0 is shorter when `start` is not one.
      const toFirst =
        (WEEKDAYS.indexOf(rotation.handoffDay) - WEEKDAYS.indexOf(weekdayOf(startDate)) + 7) % 7 || 7;
      const first = startDate.add({ days: toFirst });
      return {
        start: (k) => (k === 0 ? at(startDate) : at(first.add({ days: 7 * (k - 1) }))),
        estimate: (_, date) => {
          const days = daysBetween(startDate, date);
          return days < toFirst ? 0 : Math.floor((days - toFirst) / 7) + 1;
        },
      };
    }
    case 'hours': {
      const origin = at(startDate);
      const length = rotation.hours * HOUR_MS;
      return {
        start: (k) => origin + k * length,
        estimate: (instant) => Math.floor((instant - origin) / length),
      };
    }
  }
}

/** The index of the turn holding `instant` (the last k with start(k) ≤ instant), or -1 before turn 0. */
function turnAt(clock: TurnClock, instant: number, date: LocalDate): number {
  let k = Math.max(clock.estimate(instant, date), 0);
  while (k >= 0 && clock.start(k) > instant) k -= 1;
  if (k < 0) return -1;
  while (clock.start(k + 1) <= instant) k += 1;
  return k;
}

/** The layer's turns overlapping `span`, clipped to it; nothing before the layer starts. */
export function layerTurns(layer: Layer, span: LocalSpan): LayerSegment[] {
  const clock = turnClock(layer, span.zone);
  const turns: LayerSegment[] = [];
  let k = Math.max(turnAt(clock, span.from, span.fromDate), 0);
  let begins = clock.start(k);
  while (begins < span.until) {
    const ends = clock.start(k + 1);
    const from = Math.max(begins, span.from);
    const until = Math.min(ends, span.until);
    // A turn can be empty when a zone skips a whole day (Pacific/Apia, 2011-12-30).
    if (until > from) turns.push({ from, until, user: layer.users[k % layer.users.length] as string });
    k += 1;
    begins = ends;
  }
  return turns;
}

/**
 * The restriction's windows overlapping `span`, clipped to it, sorted and disjoint. A window belongs to the
 * day it starts on. Dates two days either side of the span are looked at, since a DST change can move a
 * local date-time's instant across midnight (Brazil used to fall back from 00:00 to 23:00 of the day before).
 */
export function restrictionWindows(restrict: Restriction, span: LocalSpan): Span[] {
  const zone = span.zone;
  const days = new Set<Weekday>(restrict.days);
  const first = span.fromDate.subtract({ days: 2 });
  const last = span.untilDate.add({ days: 1 });
  const raw: Span[] = [];
  const count = daysBetween(first, last);
  for (let i = 0; i <= count; i += 1) {
    const date = first.add({ days: i });
    if (!days.has(weekdayOf(date))) continue;
    const endDate = restrict.to > restrict.from ? date : date.add({ days: 1 });
    const from = Math.max(localToInstant(date, restrict.from, zone), span.from);
    const until = Math.min(localToInstant(endDate, restrict.to, zone), span.until);
    if (until > from) raw.push({ from, until });
  }
  const windows: Span[] = [];
  for (const window of raw.sort((a, b) => a.from - b.from)) {
    const previous = windows.at(-1);
    if (previous !== undefined && window.from <= previous.until) {
      windows[windows.length - 1] = { from: previous.from, until: Math.max(previous.until, window.until) };
    } else {
      windows.push(window);
    }
  }
  return windows;
}

/** Who the layer has on call over `span`: its turns, inside its restriction windows if it has any. */
export function layerSegments(layer: Layer, span: LocalSpan): LayerSegment[] {
  const turns = layerTurns(layer, span);
  if (layer.restrict === undefined) return turns;
  const windows = restrictionWindows(layer.restrict, span);
  const segments: LayerSegment[] = [];
  let w = 0;
  for (const turn of turns) {
    while (w < windows.length && (windows[w] as Span).until <= turn.from) w += 1;
    for (let i = w; i < windows.length && (windows[i] as Span).from < turn.until; i += 1) {
      const window = windows[i] as Span;
      const from = Math.max(turn.from, window.from);
      const until = Math.min(turn.until, window.until);
      if (until > from) segments.push({ from, until, user: turn.user });
    }
  }
  return segments;
}
