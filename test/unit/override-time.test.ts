import { describe, expect, it } from 'vitest';
import { parseOverrideWindow, parseTimeArgument } from '../../src/domain/schedules/override-time.js';
import { checkNewOverride, overrideAt } from '../../src/domain/schedules/overrides.js';
import { ms, override } from '../helpers/schedules.js';

const BERLIN = 'Europe/Berlin';
const now = ms('2027-03-10T08:15:00Z'); // 09:15 in Berlin
const context = { now, timeZone: BERLIN };

const parsed = (text: string, extra: Partial<typeof context> & { relativeTo?: number } = {}) => {
  const result = parseTimeArgument(text, { ...context, ...extra });
  return result.ok ? new Date(result.instant).toISOString() : result.reason;
};

const EXPECTED =
  'now, +2h (or +30m, +1d), a date and time in Europe/Berlin such as 2027-03-10 10:00, or ISO 8601 with an offset such as 2027-03-10T10:00+01:00';

describe('parseTimeArgument', () => {
  it('reads now, and +Nd/+Nh/+Nm after the given instant', () => {
    expect(parsed('now')).toBe('2027-03-10T08:15:00.000Z');
    expect(parsed('NOW')).toBe('2027-03-10T08:15:00.000Z');
    expect(parsed('+2h')).toBe('2027-03-10T10:15:00.000Z');
    expect(parsed('+30m')).toBe('2027-03-10T08:45:00.000Z');
    expect(parsed('+1d')).toBe('2027-03-11T08:15:00.000Z');
    expect(parsed('+1d2h30m')).toBe('2027-03-11T10:45:00.000Z');
    expect(parsed('+2H')).toBe('2027-03-10T10:15:00.000Z');
    expect(parsed('+2h', { relativeTo: ms('2027-03-12T10:00:00Z') })).toBe('2027-03-12T12:00:00.000Z');
  });

  it('+1d is a calendar day in the zone (23 hours across spring-forward), +24h is 24 real hours', () => {
    const saturday = ms('2027-03-27T10:00+01:00');
    expect(parsed('+1d', { relativeTo: saturday })).toBe(
      new Date(ms('2027-03-28T10:00+02:00')).toISOString(),
    );
    expect(parsed('+24h', { relativeTo: saturday })).toBe(
      new Date(ms('2027-03-28T11:00+02:00')).toISOString(),
    );
  });

  it('reads a local date-time in the schedule zone, with a space or a T', () => {
    expect(parsed('2027-03-10 10:00')).toBe('2027-03-10T09:00:00.000Z');
    expect(parsed('2027-03-10T10:00')).toBe('2027-03-10T09:00:00.000Z');
    expect(parsed('2027-07-10 10:00:30')).toBe('2027-07-10T08:00:30.000Z'); // summer time
    expect(parsed('2027-03-10 10:00', { timeZone: 'Asia/Tokyo' })).toBe('2027-03-10T01:00:00.000Z');
    expect(parsed('2027-03-10 10:00', { timeZone: 'America/New_York' })).toBe('2027-03-10T15:00:00.000Z');
  });

  it('reads a local time that a DST change skips as that much later, and a repeated one as the first', () => {
    expect(parsed('2027-03-28 02:30')).toBe(new Date(ms('2027-03-28T03:30+02:00')).toISOString());
    expect(parsed('2027-10-31 02:30')).toBe(new Date(ms('2027-10-31T02:30+02:00')).toISOString());
  });

  it('reads ISO 8601 with an offset or Z as that exact instant, whatever the zone', () => {
    expect(parsed('2027-03-10T10:00+01:00')).toBe('2027-03-10T09:00:00.000Z');
    expect(parsed('2027-03-10T10:00-0500')).toBe('2027-03-10T15:00:00.000Z');
    expect(parsed('2027-03-10T10:00:00Z', { timeZone: 'Asia/Tokyo' })).toBe('2027-03-10T10:00:00.000Z');
    expect(parsed('2027-03-10 10:00+09:00')).toBe('2027-03-10T01:00:00.000Z');
  });

  it.each([
    ['tomorrow', `expected ${EXPECTED}, got "tomorrow"`],
    ['', `expected ${EXPECTED}, got ""`],
    ['+', `expected ${EXPECTED}, got "+"`],
    ['+2', `expected ${EXPECTED}, got "+2"`],
    ['-2h', `expected ${EXPECTED}, got "-2h"`],
    ['+2w', `expected ${EXPECTED}, got "+2w"`],
    ['2027-03-10', `expected ${EXPECTED}, got "2027-03-10"`],
    ['10:00', `expected ${EXPECTED}, got "10:00"`],
    ['+0h', '"+0h" is no time at all: use +30m, +2h or +1d'],
    ['2027-02-30 10:00', '"2027-02-30 10:00" is not a date and time that exists'],
    ['2027-03-10 24:00', '"2027-03-10 24:00" is not a date and time that exists'],
    ['2027-13-01T10:00+01:00', '"2027-13-01T10:00+01:00" is not a date and time that exists'],
  ])('refuses %j', (text, reason) => {
    expect(parseTimeArgument(text, context)).toEqual({ ok: false, reason });
  });
});

describe('parseOverrideWindow', () => {
  const window = (text: string) => {
    const result = parseOverrideWindow(text.split(' ').filter(Boolean), context);
    return result.ok
      ? {
          start: new Date(result.start).toISOString(),
          end: new Date(result.end).toISOString(),
          rest: result.rest,
        }
      : result.reason;
  };

  it('takes one or two words per time, counts +Nh in <end> from <start>, and leaves the rest', () => {
    expect(window('now +2h')).toEqual({
      start: '2027-03-10T08:15:00.000Z',
      end: '2027-03-10T10:15:00.000Z',
      rest: [],
    });
    expect(window('2027-03-11 10:00 +4h payments-primary')).toEqual({
      start: '2027-03-11T09:00:00.000Z',
      end: '2027-03-11T13:00:00.000Z',
      rest: ['payments-primary'],
    });
    expect(window('2027-03-11 10:00 2027-03-11 18:00')).toEqual({
      start: '2027-03-11T09:00:00.000Z',
      end: '2027-03-11T17:00:00.000Z',
      rest: [],
    });
    expect(window('2027-03-11T10:00+01:00 2027-03-11 18:00+01:00 s')).toMatchObject({
      end: '2027-03-11T17:00:00.000Z',
      rest: ['s'],
    });
  });

  it('names the argument that is wrong', () => {
    expect(window('')).toBe(
      `expected a start and an end (e.g. \`now +2h\` or \`2027-03-10 10:00 2027-03-10 18:00\`); each is ${EXPECTED}`,
    );
    expect(window('now')).toMatch(/^expected a start and an end/);
    expect(window('soon +2h')).toBe(`start: expected ${EXPECTED}, got "soon"`);
    expect(window('now later')).toBe(`end: expected ${EXPECTED}, got "later"`);
  });
});

describe('checkNewOverride', () => {
  const existing = [
    { ...override('UBOB', '2027-03-10T10:00+01:00', '2027-03-10T12:00+01:00'), id: 'o1' },
    override('UCAROL', '2027-03-10T10:00+01:00', '2027-03-10T18:00+01:00', 'other-schedule'),
  ];
  const check = (start: string, end: string, extra: { now?: number } = {}) =>
    checkNewOverride(override('UDAVE', start, end), existing, { timeZone: BERLIN, ...extra });

  it('accepts one that touches another but does not overlap, or overlaps only another schedule', () => {
    expect(check('2027-03-10T12:00+01:00', '2027-03-10T14:00+01:00')).toEqual({ ok: true });
    expect(check('2027-03-10T08:00+01:00', '2027-03-10T10:00+01:00')).toEqual({ ok: true });
    expect(
      checkNewOverride(
        override('UDAVE', '2027-03-10T13:00+01:00', '2027-03-10T14:00+01:00', 'other-schedule'),
        existing,
        {
          timeZone: BERLIN,
        },
      ),
    ).toMatchObject({ ok: false, conflict: existing[1] });
  });

  it.each([
    ['2027-03-10T11:00+01:00', '2027-03-10T13:00+01:00'],
    ['2027-03-10T09:00+01:00', '2027-03-10T11:00+01:00'],
    ['2027-03-10T10:30+01:00', '2027-03-10T11:00+01:00'],
    ['2027-03-10T09:00+01:00', '2027-03-10T13:00+01:00'],
  ])('refuses %s → %s, which overlaps, naming the other override', (start, end) => {
    expect(check(start, end)).toEqual({
      ok: false,
      conflict: existing[0],
      reason:
        "it overlaps <@UBOB>'s override of team from 2027-03-10 10:00 to 2027-03-10 12:00 (Europe/Berlin)",
    });
  });

  it('refuses one that ends before it starts, or is over already', () => {
    expect(check('2027-03-10T14:00+01:00', '2027-03-10T14:00+01:00')).toEqual({
      ok: false,
      reason:
        'an override must end after it starts (start 2027-03-10 14:00, end 2027-03-10 14:00, Europe/Berlin)',
    });
    expect(check('2027-03-09T14:00+01:00', '2027-03-09T15:00+01:00', { now })).toEqual({
      ok: false,
      reason: 'that override would already be over (it ends 2027-03-09 15:00, Europe/Berlin)',
    });
  });

  it('overrideAt finds the override in force, for its own schedule only', () => {
    expect(overrideAt(existing, 'team', ms('2027-03-10T11:00+01:00'))).toBe(existing[0]);
    expect(overrideAt(existing, 'team', ms('2027-03-10T12:00+01:00'))).toBeUndefined();
    expect(overrideAt(existing, 'other-schedule', ms('2027-03-10T12:00+01:00'))).toBe(existing[1]);
  });
});
