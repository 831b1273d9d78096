/**
 * Local wall-clock time in an IANA zone, the only door to the date library: schedules hand off at "09:00 in
 * Europe/Berlin", so every conversion between a local date-time and an instant goes through here.
 *
 * Why temporal-polyfill (1.0.x): it is the Temporal API (TC39 stage 3, so a later switch to the built-in one is
 * an import), its DST disambiguation is the standard's, it reads zone rules from the runtime's Intl (full ICU on
 * Node 20 here and on Lambda's nodejs22.x) and costs 56 KB minified in a bundle, against 71 KB for Luxon 3.7
 * and 154 KB for @js-temporal/polyfill (measured with esbuild on 2026-12-07).
 *
 * The one rule for local times that a DST change makes ambiguous or impossible is Temporal's `compatible`
 * disambiguation, which is also RFC 5545's rule for iCalendar: a time in a spring-forward gap is read with the
 * offset before the gap, so it lands as much later as the clocks jumped (02:30 → 03:30 when 02:00 → 03:00); a
 * time a fall-back repeats is its first occurrence (01:30 → 01:30 summer time).
 */
import { Temporal } from 'temporal-polyfill';
import type { MinuteOfDay, Weekday } from '../oncall-config.js';
import { WEEKDAYS } from '../oncall-config.js';

export { Temporal };
export type LocalDate = Temporal.PlainDate;

/** True for a time zone name the runtime knows, spelled as it spells it; UTC offsets (`+01:00`) are not zones. */
export function isIanaTimeZone(name: string): boolean {
  return canonicalTimeZone(name) === name;
}

/** The runtime's spelling of a zone name (`europe/berlin` → `Europe/Berlin`), or undefined for none/an offset. */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z]/.test(name)) return undefined;
  try {
    return new Temporal.ZonedDateTime(0n, name).timeZoneId;
  } catch {
    return undefined;
  }
}

/** `YYYY-MM-DD` → a date, or undefined when it is not one that exists. */
export function parseLocalDate(text: string): LocalDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' });
  } catch {
    return undefined;
  }
}

/** `HH:MM` (00:00 … 23:59) → minutes since midnight. */
export function parseMinuteOfDay(text: string): MinuteOfDay | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match === null ? undefined : Number(match[1]) * 60 + Number(match[2]);
}

export function formatMinuteOfDay(minutes: MinuteOfDay): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Conversions asked again and again (every tick asks for the same few handoffs and windows), remembered: a
 * polyfilled conversion costs tens of microseconds. Bounded by clearing, since the answers never change.
 */
const instants = new Map<string, number>();
const REMEMBERED_INSTANTS = 20_000;

/** The instant (epoch ms) the clocks in `zone` show `date` at `minutes` past midnight (`compatible`). */
export function localToInstant(date: LocalDate, minutes: MinuteOfDay, zone: string): number {
  const key = `${zone} ${date.toString()} ${minutes}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  const plainTime = new Temporal.PlainTime(Math.floor(minutes / 60), minutes % 60);
  const instant = date.toZonedDateTime({ timeZone: zone, plainTime }).epochMilliseconds;
  if (instants.size >= REMEMBERED_INSTANTS) instants.clear();
  instants.set(key, instant);
  return instant;
}

/** What the clocks in `zone` show at `instant` (epoch ms). */
export function instantToLocal(instant: number, zone: string): Temporal.PlainDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone).toPlainDateTime();
}

export function weekdayOf(date: LocalDate): Weekday {
  // Temporal numbers days ISO-style, Monday 1 … Sunday 7.
  return WEEKDAYS[date.dayOfWeek - 1] as Weekday;
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return a.until(b, { largestUnit: 'days' }).days;
}

/** `2027-03-10 10:00`, the clocks in `zone` at `instant`, for reasons and notices. */
export function formatLocal(instant: number, zone: string): string {
  const local = instantToLocal(instant, zone);
  return `${local.toPlainDate().toString()} ${formatMinuteOfDay(local.hour * 60 + local.minute)}`;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/**
 * A handoff as views name it, in the clocks of `zone`: `Mon 09:00` when it is less than six days from `now`
 * (the weekday is then unambiguous), otherwise `Mon 2027-03-15 09:00`.
 */
export function formatShiftTime(instant: number, zone: string, now: number): string {
  const local = instantToLocal(instant, zone);
  const day = WEEKDAY_NAMES[local.dayOfWeek - 1] as string;
  const time = formatMinuteOfDay(local.hour * 60 + local.minute);
  const near = Math.abs(instant - now) < 6 * 86_400_000;
  return near ? `${day} ${time}` : `${day} ${local.toPlainDate().toString()} ${time}`;
}

/** An ISO 8601 date-time with an offset or Z (`2027-03-10T10:00+01:00`, seconds optional) → epoch ms. */
export function parseIsoInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(text))
    return undefined;
  try {
    return Temporal.Instant.from(text).epochMilliseconds;
  } catch {
    return undefined;
  }
}
