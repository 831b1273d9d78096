import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GRACE_SECONDS,
  describeSchedule,
  durationText,
  isLate,
  lateAfter,
  nextExpectedAt,
  parseDuration,
  parseExpectCommand,
  parseScheduleBody,
  tokenize,
  type JobSchedule,
} from '../../src/domain/job-schedule.js';

const T0 = Date.UTC(2026, 0, 1, 0, 0);
const MIN = 60_000;
const hourly: JobSchedule = { kind: 'period', periodSeconds: 3600, graceSeconds: 600 };
const nightlyTokyo: JobSchedule = { kind: 'cron', cron: '0 3 * * *', tz: 'Asia/Tokyo', graceSeconds: 1800 };

describe('lateness', () => {
  it('a period job is due a period after its last report and late after the grace', () => {
    expect(nextExpectedAt(hourly, T0)).toBe(T0 + 60 * MIN);
    expect(lateAfter(hourly, T0)).toBe(T0 + 70 * MIN);
    expect(isLate(hourly, T0, T0 + 70 * MIN)).toBe(false);
    expect(isLate(hourly, T0, T0 + 70 * MIN + 1)).toBe(true);
  });

  it('a cron job is due at its next fire after the last report, in its time zone', () => {
    // Reported at 03:05 JST on Jan 1 (18:05 UTC Dec 31): next fire is 03:00 JST Jan 2 = 18:00 UTC Jan 1.
    const reported = Date.UTC(2025, 11, 31, 18, 5);
    expect(nextExpectedAt(nightlyTokyo, reported)).toBe(Date.UTC(2026, 0, 1, 18, 0));
    expect(isLate(nightlyTokyo, reported, Date.UTC(2026, 0, 1, 18, 30))).toBe(false);
    expect(isLate(nightlyTokyo, reported, Date.UTC(2026, 0, 1, 18, 31))).toBe(true);
  });

  it('a cron that can no longer be evaluated is never late', () => {
    const broken: JobSchedule = { kind: 'cron', cron: 'nonsense', tz: 'UTC', graceSeconds: 0 };
    expect(nextExpectedAt(broken, T0)).toBeUndefined();
    expect(isLate(broken, T0, T0 + 365 * 86_400_000)).toBe(false);
  });
});

describe('parseScheduleBody (PUT /api/monitor/jobs/:job_key)', () => {
  it('accepts a period, or a cron with a zone, with the default grace', () => {
    expect(parseScheduleBody({ period_seconds: 3600, grace_seconds: 600 })).toEqual({
      ok: true,
      schedule: hourly,
    });
    expect(parseScheduleBody({ period_seconds: 3600 })).toMatchObject({
      schedule: { graceSeconds: DEFAULT_GRACE_SECONDS },
    });
    expect(parseScheduleBody({ cron: '0 3 * * *', tz: 'Asia/Tokyo', grace_seconds: 1800 })).toEqual({
      ok: true,
      schedule: nightlyTokyo,
    });
    expect(parseScheduleBody({ cron: '@daily' })).toMatchObject({ schedule: { cron: '@daily', tz: 'UTC' } });
  });

  it.each([
    [{}, 'body', 'exactly one'],
    [{ period_seconds: 3600, cron: '0 3 * * *' }, 'body', 'exactly one'],
    [{ period_seconds: 30 }, 'period_seconds', 'at least 60'],
    [{ period_seconds: 1.5 }, 'period_seconds', 'whole number'],
    [{ period_seconds: '3600' }, 'period_seconds', 'whole number'],
    [{ period_seconds: 3600, grace_seconds: -1 }, 'grace_seconds', 'at least 0'],
    [{ period_seconds: 3600, tz: 'Asia/Tokyo' }, 'tz', 'only applies to cron'],
    [{ cron: '0 3 * *' }, 'cron', 'expected 5 fields'],
    [{ cron: '0 3 * * *', tz: 'Asia/Nowhere' }, 'tz', 'unknown time zone'],
  ])('refuses %j naming %s', (body, field, reason) => {
    const result = parseScheduleBody(body);
    expect(result).toMatchObject({ ok: false, field });
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('durations', () => {
  it.each([
    ['90', 90],
    ['45s', 45],
    ['10m', 600],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['1w', 604_800],
    ['1H', 3600],
  ])('parses %s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'h', '1x', '1.5h', '-1m', '1 h'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('writes them back compactly', () => {
    expect(durationText(3600)).toBe('1h');
    expect(durationText(5400)).toBe('1h30m');
    expect(durationText(90)).toBe('1m30s');
    expect(durationText(0)).toBe('0s');
    expect(describeSchedule(hourly)).toBe('every 1h, grace 10m');
    expect(describeSchedule(nightlyTokyo)).toBe('cron 0 3 * * * (Asia/Tokyo), grace 30m');
  });
});

describe('/jobs expect', () => {
  it('tokenizes quoted groups, including Slack’s curly quotes', () => {
    expect(tokenize('a cron "0 3 * * *" tz Asia/Tokyo')).toEqual([
      'a',
      'cron',
      '0 3 * * *',
      'tz',
      'Asia/Tokyo',
    ]);
    expect(tokenize('a cron “0 3 * * *”')).toEqual(['a', 'cron', '0 3 * * *']);
  });

  it('reads `every` with a grace', () => {
    expect(parseExpectCommand('nightly-backup every 1h grace 10m')).toEqual({
      ok: true,
      jobKey: 'nightly-backup',
      schedule: hourly,
    });
    expect(parseExpectCommand('k every 30m')).toMatchObject({
      schedule: { periodSeconds: 1800, graceSeconds: DEFAULT_GRACE_SECONDS },
    });
  });

  it('reads `cron`, quoted or not, with a zone and a grace', () => {
    const expected = { ok: true, jobKey: 'k', schedule: nightlyTokyo };
    expect(parseExpectCommand('k cron "0 3 * * *" tz Asia/Tokyo grace 30m')).toEqual(expected);
    expect(parseExpectCommand('k cron 0 3 * * * tz Asia/Tokyo grace 30m')).toEqual(expected);
    expect(parseExpectCommand('k cron “0 3 * * *” grace 30m tz Asia/Tokyo')).toEqual(expected);
    expect(parseExpectCommand('k cron @hourly')).toMatchObject({ schedule: { cron: '@hourly', tz: 'UTC' } });
  });

  it.each([
    ['', 'name the job'],
    ['k', 'name the job'],
    ['k every', 'needs a value'],
    ['k every soon', 'not a duration'],
    ['k every 10s', 'from 1m'],
    ['k every 1h grace', 'unexpected'],
    ['k every 1h grace forever', 'grace `forever`'],
    ['k every 1h tz Asia/Tokyo', 'only applies to cron'],
    ['k every 1h extra words', 'unexpected'],
    ['k cron "0 3 * *"', 'cron: expected 5 fields'],
    ['k cron "0 3 * * *" tz Nowhere/City', 'tz: unknown time zone'],
    ['k daily', 'expected `every` or `cron`'],
  ])('refuses %j', (text, reason) => {
    const result = parseExpectCommand(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
