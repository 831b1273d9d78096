/**
 * A small five-field cron (minute hour day-of-month month day-of-week) evaluated in an IANA time zone, for
 * "when should this job have run?". Pure: no clock, no I/O; time zones come from the runtime's Intl data.
 *
 * Supported: `*`, numbers, ranges `a-b`, steps `*∕n`, `a-b/n` and `a/n` (= `a-max/n`), lists `a,b-c`, month and
 * weekday names (`jan`, `mon`), `7` for Sunday, and `@hourly @daily @midnight @weekly @monthly @yearly @annually`.
 * Day-of-month and day-of-week follow Vixie cron: when both are restricted (neither starts with `*`), a day
 * matching either fires; otherwise both must match.
 *
 * Daylight-saving changes: a local time that does not exist (the spring-forward gap) fires at the same wall time
 * shifted forward by the jump, and a repeated local time (fall back) fires once, at its first occurrence, as
 * Vixie cron does. The answer may therefore be up to an hour off on those two days a year, which is fine for
 * lateness checks with a grace period. (A maintained library such as croner handles the same cases; this file
 * keeps the dependency count at zero.)
 */

export interface CronExpression {
  /** The expression as given (macros kept), for display. */
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (a `7` is folded into 0). */
  daysOfWeek: ReadonlySet<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

export type CronParseResult = { ok: true; cron: CronExpression } | { ok: false; reason: string };

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Value of names[0]. */
  namesStart?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesStart: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, namesStart: 0 },
];

class FieldError {
  constructor(readonly reason: string) {}
}

function parseValue(text: string, spec: FieldSpec): number | FieldError {
  const lower = text.toLowerCase();
  const nameIndex = spec.names?.indexOf(lower) ?? -1;
  if (nameIndex >= 0) return nameIndex + (spec.namesStart ?? 0);
  if (!/^\d{1,2}$/.test(text)) return new FieldError(`${spec.name}: "${text}" is not a number`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    return new FieldError(`${spec.name}: ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> | FieldError {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (range === '' || extra !== undefined) return new FieldError(`${spec.name}: "${part}" is malformed`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) {
        return new FieldError(`${spec.name}: step "${stepText}" must be a number from 1`);
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else {
      const [startText = '', endText, more] = range.split('-');
      if (more !== undefined) return new FieldError(`${spec.name}: "${range}" is malformed`);
      const start = parseValue(startText, spec);
      if (start instanceof FieldError) return start;
      from = start;
      if (endText !== undefined) {
        const end = parseValue(endText, spec);
        if (end instanceof FieldError) return end;
        if (end < start) return new FieldError(`${spec.name}: range "${range}" runs backwards`);
        to = end;
      } else {
        // `5/15` means from 5 to the end in steps of 15; a bare `5` is just 5.
        to = stepText !== undefined ? spec.max : start;
      }
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Parses a five-field expression or a macro; the reason names the field at fault. */
export function parseCron(expression: string): CronParseResult {
  const source = expression.trim();
  const expanded = MACROS[source.toLowerCase()] ?? source;
  const parts = expanded.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    return {
      ok: false,
      reason: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`,
    };
  }
  const sets: Set<number>[] = [];
  for (const [i, spec] of FIELDS.entries()) {
    const parsed = parseField(parts[i] ?? '', spec);
    if (parsed instanceof FieldError) return { ok: false, reason: parsed.reason };
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, rawDaysOfWeek] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const daysOfWeek = new Set([...rawDaysOfWeek].map((d) => d % 7));
  const cron: CronExpression = {
    source,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    domRestricted: !(parts[2] ?? '').startsWith('*'),
    dowRestricted: !(parts[4] ?? '').startsWith('*'),
  };
  if (!canEverFire(cron)) return { ok: false, reason: `"${source}" never fires (no such day)` };
  return { ok: true, cron };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `0 0 30 2 *` parses field by field but names a day that never exists. */
function canEverFire(cron: CronExpression): boolean {
  if (cron.dowRestricted) return true; // with a weekday restriction some day always matches
  return [...cron.months].some((m) => [...cron.daysOfMonth].some((d) => d <= (DAYS_IN_MONTH[m - 1] ?? 0)));
}

// ---------------------------------------------------------------------------------------------------------
// Time zones through Intl: no tz database of our own.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone name the runtime knows (`Asia/Tokyo`, `UTC`, `Europe/London`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The local calendar time of an instant in `timeZone`. */
export function wallTimeOf(instant: number, timeZone: string): WallTime {
  const values: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values['year'] ?? 1970,
    month: values['month'] ?? 1,
    day: values['day'] ?? 1,
    hour: values['hour'] ?? 0,
    minute: values['minute'] ?? 0,
    second: values['second'] ?? 0,
  };
}

const wallAsUtc = (w: WallTime): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at `instant`, in milliseconds (Tokyo: +9h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return wallAsUtc(wallTimeOf(instant, timeZone)) - Math.floor(instant / 1000) * 1000;
}

const HOUR_MS = 3_600_000;

/**
 * The instant a local wall time names in `timeZone`. Of two instants (fall back) the earlier one; a time in the
 * spring-forward gap is shifted forward by the jump (02:30 that does not exist becomes 03:30).
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): number {
  const local = wallAsUtc(wall);
  const before = zoneOffsetMs(local - 12 * HOUR_MS, timeZone);
  const after = zoneOffsetMs(local + 12 * HOUR_MS, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset)
    .filter((instant) => wallAsUtc(wallTimeOf(instant, timeZone)) === local)
    .sort((a, b) => a - b);
  return candidates[0] ?? local - before;
}

/** Fires searched for: a little over eight years covers every Feb 29 on any weekday. */
const MAX_DAYS = 366 * 8 + 2;

function dayMatches(cron: CronExpression, year: number, month: number, day: number): boolean {
  if (!cron.months.has(month)) return false;
  const dom = cron.daysOfMonth.has(day);
  const dow = cron.daysOfWeek.has(new Date(Date.UTC(year, month - 1, day)).getUTCDay());
  if (cron.domRestricted && cron.dowRestricted) return dom || dow;
  return dom && dow;
}

const sorted = (set: ReadonlySet<number>): number[] => [...set].sort((a, b) => a - b);

/** The first fire strictly after `after` (epoch ms), or undefined when none within eight years. */
export function nextCronTime(cron: CronExpression, timeZone: string, after: number): number | undefined {
  const start = wallTimeOf(after, timeZone);
  const startLocal = wallAsUtc(start);
  const hours = sorted(cron.hours);
  const minutes = sorted(cron.minutes);
  const firstDay = Date.UTC(start.year, start.month - 1, start.day);
  for (let i = 0; i < MAX_DAYS; i += 1) {
    const dayLocal = firstDay + i * 86_400_000;
    const date = new Date(dayLocal);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (!dayMatches(cron, year, month, day)) continue;
    // Offsets are within ±14h, so the day's wall times name instants in this window. The same offset at both
    // ends means no DST change that day: wall time minus offset is exact, with no Intl call per candidate.
    const offset = zoneOffsetMs(dayLocal - 15 * HOUR_MS, timeZone);
    const steady = offset === zoneOffsetMs(dayLocal + 39 * HOUR_MS, timeZone);
    for (const hour of hours) {
      for (const minute of minutes) {
        const local = Date.UTC(year, month - 1, day, hour, minute);
        // Wall times over an hour before `after` cannot come after it (a DST jump is at most an hour).
        if (local < startLocal - HOUR_MS) continue;
        const instant = steady
          ? local - offset
          : instantOfWallTime({ year, month, day, hour, minute, second: 0 }, timeZone);
        if (instant > after) return instant;
      }
    }
  }
  return undefined;
}
