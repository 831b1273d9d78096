import { describe, expect, it } from 'vitest';
import {
  instantOfWallTime,
  isValidTimeZone,
  nextCronTime,
  parseCron,
  wallTimeOf,
  zoneOffsetMs,
  type CronExpression,
} from '../../src/domain/cron.js';

function cron(expression: string): CronExpression {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cron;
}

const next = (expression: string, tz: string, after: string): string | undefined => {
  const at = nextCronTime(cron(expression), tz, Date.parse(after));
  return at === undefined ? undefined : new Date(at).toISOString();
};

describe('parseCron', () => {
  it('expands *, lists, ranges and steps', () => {
    const c = cron('*/15 9-17/4 1,15 jan-mar mon-fri');
    expect([...c.minutes]).toEqual([0, 15, 30, 45]);
    expect([...c.hours]).toEqual([9, 13, 17]);
    expect([...c.daysOfMonth]).toEqual([1, 15]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads `a/n` as from a to the end, and 7 as Sunday', () => {
    expect([...cron('50/5 * * * *').minutes]).toEqual([50, 55]);
    expect([...cron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect([...cron('0 0 * * SUN,sat').daysOfWeek].sort()).toEqual([0, 6]);
  });

  it('knows the macros', () => {
    expect(cron('@daily')).toMatchObject({ source: '@daily', domRestricted: false, dowRestricted: false });
    expect([...cron('@hourly').minutes]).toEqual([0]);
    expect([...cron('@weekly').daysOfWeek]).toEqual([0]);
  });

  it.each([
    ['0 3 * *', 'expected 5 fields'],
    ['0 3 * * * *', 'expected 5 fields'],
    ['61 * * * *', 'minute: 61 is outside 0-59'],
    ['0 24 * * *', 'hour: 24 is outside 0-23'],
    ['0 0 0 * *', 'day of month: 0 is outside 1-31'],
    ['0 0 * 13 *', 'month: 13 is outside 1-12'],
    ['0 0 * * 8', 'day of week: 8 is outside 0-7'],
    ['*/0 * * * *', 'step "0"'],
    ['5-1 * * * *', 'runs backwards'],
    ['a * * * *', 'minute: "a" is not a number'],
    ['1-2-3 * * * *', 'malformed'],
    ['0 0 30 2 *', 'never fires'],
    ['', 'expected 5 fields'],
  ])('refuses %j (%s)', (expression, reason) => {
    const parsed = parseCron(expression);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('nextCronTime', () => {
  it('finds the next fire strictly after the instant, in UTC', () => {
    expect(next('0 3 * * *', 'UTC', '2026-01-01T02:59:59Z')).toBe('2026-01-01T03:00:00.000Z');
    expect(next('0 3 * * *', 'UTC', '2026-01-01T03:00:00Z')).toBe('2026-01-02T03:00:00.000Z');
    expect(next('*/15 * * * *', 'UTC', '2026-01-01T10:07:00Z')).toBe('2026-01-01T10:15:00.000Z');
    expect(next('0 0 1 * *', 'UTC', '2026-12-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads the wall clock of the time zone', () => {
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC the day before.
    expect(next('0 3 * * *', 'Asia/Tokyo', '2026-01-01T00:00:00Z')).toBe('2026-01-01T18:00:00.000Z');
    expect(next('30 9 * * *', 'Asia/Kolkata', '2026-01-01T00:00:00Z')).toBe('2026-01-01T04:00:00.000Z');
  });

  it('skips to the right weekday (Friday evening → Monday morning)', () => {
    expect(next('*/15 9-17 * * mon-fri', 'Europe/London', '2026-01-02T17:50:00Z')).toBe(
      '2026-01-05T09:00:00.000Z',
    );
  });

  it('fires on either day when both day fields are restricted (Vixie cron)', () => {
    // The 13th, or any Friday: 2026-02-06 is a Friday, before the 13th.
    expect(next('0 0 13 * 5', 'UTC', '2026-02-01T00:00:00Z')).toBe('2026-02-06T00:00:00.000Z');
    // Only the day of week restricted: both must match (every Friday).
    expect(next('0 0 * * 5', 'UTC', '2026-02-07T00:00:00Z')).toBe('2026-02-13T00:00:00.000Z');
  });

  it('finds Feb 29 years ahead', () => {
    expect(next('0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('shifts a time in the spring-forward gap forward by the jump', () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist; it runs at 03:30 EDT.
    expect(next('30 2 * * *', 'America/New_York', '2026-03-08T00:00:00Z')).toBe('2026-03-08T07:30:00.000Z');
    // The day after, 02:30 EDT is 06:30 UTC again.
    expect(next('30 2 * * *', 'America/New_York', '2026-03-08T08:00:00Z')).toBe('2026-03-09T06:30:00.000Z');
  });

  it('runs a repeated time (fall back) once, at its first occurrence', () => {
    // New York, 2026-11-01: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    expect(next('30 1 * * *', 'America/New_York', '2026-11-01T00:00:00Z')).toBe('2026-11-01T05:30:00.000Z');
    expect(next('30 1 * * *', 'America/New_York', '2026-11-01T05:30:00Z')).toBe('2026-11-02T06:30:00.000Z');
  });

  it('keeps hourly schedules hourly across a DST change', () => {
    let at = Date.parse('2026-03-08T05:30:00Z');
    const fires: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      at = nextCronTime(cron('0 * * * *'), 'America/New_York', at) ?? 0;
      fires.push(new Date(at).toISOString());
    }
    expect(fires).toEqual([
      '2026-03-08T06:00:00.000Z', // 01:00 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT (02:00 does not exist; its shifted 03:00 is the same instant)
      '2026-03-08T08:00:00.000Z',
      '2026-03-08T09:00:00.000Z',
    ]);
  });

  it('is quick enough to call for every job on every tick', () => {
    const every = cron('* * * * *');
    const started = performance.now();
    for (let i = 0; i < 1000; i += 1) nextCronTime(every, 'Asia/Tokyo', Date.UTC(2026, 0, 1, i % 24, 30));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('time zones', () => {
  it('validates IANA names', () => {
    expect(isValidTimeZone('Asia/Tokyo')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('converts between instants and wall times', () => {
    const instant = Date.parse('2026-07-01T12:34:00Z');
    expect(wallTimeOf(instant, 'Asia/Tokyo')).toEqual({
      year: 2026,
      month: 7,
      day: 1,
      hour: 21,
      minute: 34,
      second: 0,
    });
    expect(zoneOffsetMs(instant, 'Europe/London')).toBe(3_600_000);
    expect(instantOfWallTime(wallTimeOf(instant, 'America/New_York'), 'America/New_York')).toBe(instant);
  });
});
