/**
 * The `<start>` and `<end>` of `/oncall override @bob <start> <end> [schedule]`, which accept:
 * - `now`;
 * - `+2h`, `+30m`, `+1d` (or together, `+1d2h30m`): after a given instant; days are calendar days in the
 *   schedule's zone (so `+1d` over a DST change is 23 or 25 hours, same wall-clock time), hours and minutes real;
 * - a local date-time in the schedule's zone, `2027-03-10 10:00` or `2027-03-10T10:00` (seconds allowed), read
 *   with wall-clock.ts's DST rule (a time a spring-forward skips lands as much later as the clocks jumped);
 * - ISO 8601 with an offset or Z, `2027-03-10T10:00+01:00`, an exact instant whatever the zone.
 */
import { Temporal } from './wall-clock.js';

export interface TimeArgumentContext {
  readonly now: number;
  /** The schedule's zone: local date-times and `+Nd` are read there. */
  readonly timeZone: string;
  /** What `+2h` counts from; default `now`. */
  readonly relativeTo?: number;
}

export type TimeArgumentResult = { ok: true; instant: number } | { ok: false; reason: string };

const RELATIVE = /^\+(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(?::\d{2})?$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?$/i;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
// A time followed by its offset, as the second word of `2027-03-10 10:00+01:00`.
const TIME_WITH_OFFSET = /^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

function expected(context: TimeArgumentContext): string {
  return `now, +2h (or +30m, +1d), a date and time in ${context.timeZone} such as 2027-03-10 10:00, or ISO 8601 with an offset such as 2027-03-10T10:00+01:00`;
}

/** One time argument → an instant (epoch ms), or a reason that quotes what was given and says what works. */
export function parseTimeArgument(text: string, context: TimeArgumentContext): TimeArgumentResult {
  const input = text.trim();
  if (input.toLowerCase() === 'now') return { ok: true, instant: context.now };

  const relative = RELATIVE.exec(input);
  if (relative !== null && input.length > 1) {
    const [, days = '0', hours = '0', minutes = '0'] = relative;
    if (Number(days) + Number(hours) + Number(minutes) === 0) {
      return { ok: false, reason: `${JSON.stringify(input)} is no time at all: use +30m, +2h or +1d` };
    }
    const base = Temporal.Instant.fromEpochMilliseconds(context.relativeTo ?? context.now).toZonedDateTimeISO(
      context.timeZone,
    );
    const later = base.add({ days: Number(days), hours: Number(hours), minutes: Number(minutes) });
    return { ok: true, instant: later.epochMilliseconds };
  }

  if (WITH_OFFSET.test(input)) {
    try {
      return { ok: true, instant: Temporal.Instant.from(input.replace(' ', 'T')).epochMilliseconds };
    } catch {
      return { ok: false, reason: `${JSON.stringify(input)} is not a date and time that exists` };
    }
  }

  if (LOCAL.test(input)) {
    try {
      const local = Temporal.PlainDateTime.from(input.replace(' ', 'T'));
      return { ok: true, instant: local.toZonedDateTime(context.timeZone).epochMilliseconds };
    } catch {
      return { ok: false, reason: `${JSON.stringify(input)} is not a date and time that exists` };
    }
  }

  return { ok: false, reason: `expected ${expected(context)}, got ${JSON.stringify(input)}` };
}

export type OverrideWindowResult =
  { ok: true; start: number; end: number; rest: string[] } | { ok: false; reason: string };

/**
 * `<start> <end> …` from a command's words: each time is one word (`now`, `+2h`, `2027-03-10T10:00+01:00`) or a
 * date word and a time word (`2027-03-10 10:00`). `<end>` as `+2h` counts from `<start>`. `rest` is what follows
 * (the schedule id, if given).
 */
export function parseOverrideWindow(
  words: readonly string[],
  context: Omit<TimeArgumentContext, 'relativeTo'>,
): OverrideWindowResult {
  const startWords = timeWords(words, 0);
  const endWords = timeWords(words, startWords);
  if (startWords === 0 || endWords === 0) {
    return {
      ok: false,
      reason: `expected a start and an end (e.g. \`now +2h\` or \`2027-03-10 10:00 2027-03-10 18:00\`); each is ${expected(context)}`,
    };
  }
  const start = parseTimeArgument(words.slice(0, startWords).join(' '), context);
  if (!start.ok) return { ok: false, reason: `start: ${start.reason}` };
  const endText = words.slice(startWords, startWords + endWords).join(' ');
  const end = parseTimeArgument(endText, { ...context, relativeTo: start.instant });
  if (!end.ok) return { ok: false, reason: `end: ${end.reason}` };
  return { ok: true, start: start.instant, end: end.instant, rest: words.slice(startWords + endWords) };
}

/** How many words from `index` make one time argument: 2 for a date word then a time word, else 1 (0: none). */
function timeWords(words: readonly string[], index: number): number {
  const word = words[index];
  if (word === undefined) return 0;
  const next = words[index + 1];
  if (DATE.test(word) && next !== undefined && (TIME.test(next) || TIME_WITH_OFFSET.test(next))) return 2;
  return 1;
}
