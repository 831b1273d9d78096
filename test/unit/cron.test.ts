import { describe, expect, it } from 'vitest';
import { isValidTimeZone, nextCronTime, parseCron, type CronExpression } from '../../src/domain/cron.js';

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
  it('reads *, lists, ranges, steps and names', () => {
    const utc = (e: string, after: string) => next(e, 'UTC', after);
    expect(utc('*/15 9-17/4 1,15 jan-mar *', '2026-01-01T09:50:00Z')).toBe('2026-01-01T13:00:00.000Z');
    expect(utc('50-59/5 * * * *', '2026-01-01T00:51:00Z')).toBe('2026-01-01T00:55:00.000Z');
    expect(utc('0 0 * * 7', '2026-01-01T00:00:00Z')).toBe('2026-01-04T00:00:00.000Z'); // 7 is Sunday
    expect(utc('0 0 * * SUN,sat', '2026-01-01T00:00:00Z')).toBe('2026-01-03T00:00:00.000Z');
  });

  it('knows the macros', () => {
    expect(cron('@daily').source).toBe('@daily');
    expect(next('@hourly', 'UTC', '2026-01-01T00:10:00Z')).toBe('2026-01-01T01:00:00.000Z');
    expect(next('@weekly', 'UTC', '2026-01-01T00:00:00Z')).toBe('2026-01-04T00:00:00.000Z');
  });

  it.each([
    ['0 3 * *', 'expected 5 fields'],
    ['0 3 * * * *', 'expected 5 fields'],
    ['61 * * * *', 'invalid'],
    ['0 24 * * *', 'invalid'],
    ['0 0 0 * *', 'invalid'],
    ['0 0 * 13 *', 'invalid'],
    ['0 0 * * 8', 'invalid'],
    ['a * * * *', 'invalid'],
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

  it('runs a time in the spring-forward gap once, right after the gap', () => {
    // New York, 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist; croner runs it at 03:00 EDT.
    expect(next('30 2 * * *', 'America/New_York', '2026-03-08T00:00:00Z')).toBe('2026-03-08T07:00:00.000Z');
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
});

describe('time zones', () => {
  it('validates IANA names', () => {
    expect(isValidTimeZone('Asia/Tokyo')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
