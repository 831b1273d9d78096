/**
 * 500 random schedules (zones with DST changes of 1 hour, 30 minutes and at midnight; daily, weekly and hourly
 * rotations; handoffs and restrictions at times DST skips or repeats; overrides, some overlapping) checked
 * against a reference written here, independently of src/domain/schedules: it lists every handoff by stepping
 * through local calendar days from the layer's start, every restriction window by stepping through the days of
 * the span, and asks, hour by hour (and at every handoff and window edge), who the last layer with someone
 * on call is. Local date-times become instants with Temporal's `compatible` rule, the documented one.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import type { Layer, Restriction, Rotation, Schedule, Weekday } from '../../src/domain/oncall-config.js';
import { onCallView, timeline, whoIsOnCall } from '../../src/domain/schedules/on-call.js';
import type { Override } from '../../src/domain/schedules/overrides.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPAN_DAYS = 10;
const DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// ---- the reference -------------------------------------------------------------------------------------

const instantOf = (date: Temporal.PlainDate, minutes: number, zone: string): number =>
  date
    .toPlainDateTime({ hour: Math.floor(minutes / 60), minute: minutes % 60 })
    .toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;

const localDateOf = (instant: number, zone: string): Temporal.PlainDate =>
  Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone).toPlainDate();

/** Every handoff of the layer before `until`, by walking the calendar from `start` one day at a time. */
function referenceHandoffs(layer: Layer, zone: string, until: number): number[] {
  const start = Temporal.PlainDate.from(layer.start);
  const handoffs: number[] = [];
  if (layer.rotation.kind === 'hours') {
    for (let at = instantOf(start, layer.handoff, zone); at < until; at += layer.rotation.hours * HOUR)
      handoffs.push(at);
    return handoffs;
  }
  for (let date = start; ; date = date.add({ days: 1 })) {
    const at = instantOf(date, layer.handoff, zone);
    if (at >= until) return handoffs;
    const isHandoffDay =
      layer.rotation.kind === 'daily' ||
      date.equals(start) ||
      DAYS[date.dayOfWeek - 1] === layer.rotation.handoffDay;
    if (isHandoffDay) handoffs.push(at);
  }
}

/** Every restriction window that can touch [from, until), by walking the days around it. */
function referenceWindows(
  restrict: Restriction,
  zone: string,
  from: number,
  until: number,
): [number, number][] {
  const windows: [number, number][] = [];
  const last = localDateOf(until, zone).add({ days: 1 });
  for (
    let date = localDateOf(from, zone).subtract({ days: 3 });
    Temporal.PlainDate.compare(date, last) <= 0;
    date = date.add({ days: 1 })
  ) {
    if (!restrict.days.includes(DAYS[date.dayOfWeek - 1] as Weekday)) continue;
    const endDate = restrict.to > restrict.from ? date : date.add({ days: 1 });
    windows.push([instantOf(date, restrict.from, zone), instantOf(endDate, restrict.to, zone)]);
  }
  return windows;
}

function referenceOf(schedule: Schedule, overrides: readonly Override[], from: number, until: number) {
  const layers = schedule.layers.map((layer) => ({
    layer,
    handoffs: referenceHandoffs(layer, schedule.timeZone, until + DAY),
    windows: layer.restrict && referenceWindows(layer.restrict, schedule.timeZone, from, until),
  }));
  const userAt = (t: number): string | undefined => {
    const own = overrides.filter((o) => o.schedule === schedule.id && o.start <= t && t < o.end);
    if (own.length > 0) return own[own.length - 1]?.user;
    for (const { layer, handoffs, windows } of [...layers].reverse()) {
      const turn = handoffs.filter((h) => h <= t).length - 1;
      if (turn < 0) continue;
      if (windows !== undefined && !windows.some(([s, e]) => s <= t && t < e)) continue;
      return layer.users[turn % layer.users.length];
    }
    return undefined;
  };
  const edges = layers.flatMap(({ handoffs, windows }) => [...handoffs, ...(windows ?? []).flat()]);
  return { userAt, edges: [...edges, ...overrides.flatMap((o) => [o.start, o.end])] };
}

// ---- random schedules ------------------------------------------------------------------------------------

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Lord_Howe', // DST of 30 minutes
  'America/St_Johns', // UTC-3:30, changes at 02:00
  'Pacific/Chatham', // UTC+12:45
  'America/Santiago', // changes at midnight: 00:00 is skipped or repeated
  'Europe/London',
  'UTC',
];
// Days with a DST change in one of the zones above (2026–2027), so spans often cross one.
const CHANGE_DAYS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-09-06',
  '2026-09-27',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
  '2027-03-14',
  '2027-03-28',
  '2027-04-04',
  '2027-10-03',
  '2027-10-31',
  '2027-11-07',
];
// Times that a change skips or repeats somewhere, and ordinary ones.
const TRICKY_MINUTES = [0, 30, 60, 90, 120, 150, 180, 1410, 540, 1080];

const minuteOfDay = fc.oneof(fc.constantFrom(...TRICKY_MINUTES), fc.integer({ min: 0, max: 1439 }));
const rotation: fc.Arbitrary<Rotation> = fc.oneof(
  fc.constant({ kind: 'daily' as const }),
  fc.constantFrom(...DAYS).map((handoffDay) => ({ kind: 'weekly' as const, handoffDay })),
  fc.integer({ min: 1, max: 72 }).map((hours) => ({ kind: 'hours' as const, hours })),
);
const restriction: fc.Arbitrary<Restriction> = fc.record({
  days: fc.uniqueArray(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 7 }),
  from: minuteOfDay,
  to: minuteOfDay,
});

const scenario = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    day: fc.oneof(
      fc.constantFrom(...CHANGE_DAYS),
      fc
        .integer({ min: 0, max: 729 })
        .map((d) => Temporal.PlainDate.from('2026-01-01').add({ days: d }).toString()),
    ),
    lead: fc.integer({ min: 0, max: 7 }),
    minute: fc.integer({ min: 0, max: 59 }),
    layers: fc.array(
      fc.record({
        rotation,
        handoff: minuteOfDay,
        startOffset: fc.integer({ min: -40, max: 6 }),
        users: fc.array(fc.constantFrom('UA', 'UB', 'UC', 'UD', 'UE'), { minLength: 1, maxLength: 4 }),
        restrict: fc.option(restriction, { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    overrides: fc.array(
      fc.record({
        startHours: fc.integer({ min: -24, max: SPAN_DAYS * 24 }),
        hours: fc.integer({ min: 1, max: 48 }),
        user: fc.constantFrom('UOVER', 'UA', 'UZ'),
        other: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ zone, day, lead, minute, layers, overrides }) => {
    const spanStartDate = Temporal.PlainDate.from(day).subtract({ days: lead });
    const from = instantOf(spanStartDate, 0, zone);
    const schedule: Schedule = {
      id: 'team',
      timeZone: zone,
      layers: layers.map(({ startOffset, restrict, ...rest }) => ({
        ...rest,
        start: spanStartDate.add({ days: startOffset }).toString(),
        ...(restrict === undefined ? {} : { restrict }),
      })),
    };
    const asOverrides: Override[] = overrides.map((o) => ({
      schedule: o.other ? 'elsewhere' : 'team',
      user: o.user,
      start: from + o.startHours * HOUR + minute * 60_000,
      end: from + (o.startHours + o.hours) * HOUR,
    }));
    return { schedule, overrides: asOverrides, from, until: from + SPAN_DAYS * DAY, minute };
  });

// ---- the property ------------------------------------------------------------------------------------------

describe('who is on call, against an hour-by-hour reference', () => {
  it('agrees on 500 random schedules: the timeline, whoIsOnCall and the current shift of onCallView', () => {
    fc.assert(
      fc.property(scenario, ({ schedule, overrides, from, until, minute }) => {
        const reference = referenceOf(schedule, overrides, from, until);
        const segments = timeline(schedule, overrides, { from, until });

        // The timeline covers the span without gaps and never repeats a person in two adjacent segments.
        expect(segments[0]?.from).toBe(from);
        expect(segments.at(-1)?.until).toBe(until);
        const badJoin = segments.findIndex(
          (x, i) =>
            x.until <= x.from ||
            (i > 0 && (x.from !== segments[i - 1]?.until || x.user === segments[i - 1]?.user)),
        );
        expect(badJoin).toBe(-1);

        // One expect for all samples (an expect per sample costs more than the code under test).
        const hourly = Array.from({ length: SPAN_DAYS * 24 }, (_, h) => from + h * HOUR + minute * 60_000);
        const edges = reference.edges.flatMap((e) => [e - 1, e]).filter((t) => t >= from && t < until);
        let s = 0;
        const wrong = [...hourly, ...edges]
          .sort((a, b) => a - b)
          .map((t) => {
            while ((segments[s] as { until: number }).until <= t) s += 1;
            return { t, user: segments[s]?.user, expected: reference.userAt(t) };
          })
          .find((sample) => sample.user !== sample.expected);
        if (wrong !== undefined) {
          expect({ at: new Date(wrong.t).toISOString(), user: wrong.user }).toEqual({
            at: new Date(wrong.t).toISOString(),
            user: wrong.expected,
          });
        }

        for (const t of hourly.filter((_, i) => i % 20 === 7)) {
          const expected = reference.userAt(t);
          expect(whoIsOnCall(schedule, overrides, t)).toEqual(expected === undefined ? [] : [expected]);
        }

        const middle = from + (SPAN_DAYS / 2) * DAY + minute * 60_000;
        const [shift] = onCallView(schedule, overrides, middle, 1).onCall;
        expect(shift?.user).toBe(reference.userAt(middle));
        if (shift?.from != null && shift.from > from) {
          expect(reference.userAt(shift.from)).toBe(shift.user);
          expect(reference.userAt(shift.from - 1)).not.toBe(shift.user);
        }
        if (shift?.until != null && shift.until < until) {
          expect(reference.userAt(shift.until - 1)).toBe(shift.user);
          expect(reference.userAt(shift.until)).not.toBe(shift.user);
        }
      }),
      { numRuns: 500 },
    );
  }, 120_000);
});
