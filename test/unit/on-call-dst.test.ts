import { describe, expect, it } from 'vitest';
import { shiftsBetween } from '../../src/domain/schedules/on-call.js';
import { hm, layer, ms, override, scheduleOf, shiftText, who } from '../helpers/schedules.js';

const HOUR = 3_600_000;
const NEW_YORK = 'America/New_York';
const BERLIN = 'Europe/Berlin';

// The transitions: US clocks change at 02:00 local (second Sunday of March, first Sunday of November), the EU's
// at 01:00 UTC (last Sundays of March and October).
const TRANSITIONS = [
  { zone: NEW_YORK, day: '2026-03-08', before: '-05:00', after: '-04:00', lengths: [24, 23, 24] },
  { zone: NEW_YORK, day: '2026-11-01', before: '-04:00', after: '-05:00', lengths: [24, 25, 24] },
  { zone: NEW_YORK, day: '2027-03-14', before: '-05:00', after: '-04:00', lengths: [24, 23, 24] },
  { zone: NEW_YORK, day: '2027-11-07', before: '-04:00', after: '-05:00', lengths: [24, 25, 24] },
  { zone: BERLIN, day: '2026-03-29', before: '+01:00', after: '+02:00', lengths: [24, 23, 24] },
  { zone: BERLIN, day: '2026-10-25', before: '+02:00', after: '+01:00', lengths: [24, 25, 24] },
  { zone: BERLIN, day: '2027-03-28', before: '+01:00', after: '+02:00', lengths: [24, 23, 24] },
  { zone: BERLIN, day: '2027-10-31', before: '+02:00', after: '+01:00', lengths: [24, 25, 24] },
];

const dayOffset = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T12:00Z`) + days * 24 * HOUR).toISOString().slice(0, 10);

describe.each(TRANSITIONS)('$zone on $day ($before → $after)', ({ zone, day, before, after, lengths }) => {
  it('a daily rotation hands off at 09:00 local every day, so the turn across the change is 23 or 25 hours', () => {
    const s = scheduleOf(zone, layer({ start: '2026-01-01', users: ['UA', 'UB'] }));
    const span = {
      from: ms(`${dayOffset(day, -2)}T09:00${before}`),
      until: ms(`${dayOffset(day, 1)}T09:00${after}`),
    };
    const shifts = shiftsBetween(s, [], span);
    expect(shifts.map((x) => x.from)).toEqual([
      ms(`${dayOffset(day, -2)}T09:00${before}`),
      ms(`${dayOffset(day, -1)}T09:00${before}`),
      ms(`${day}T09:00${after}`),
    ]);
    expect(shifts.map((x) => (x.until - x.from) / HOUR)).toEqual(lengths);
  });

  it('a weekly rotation keeps its handoff at 09:00 local: the week across the change is 167 or 169 hours', () => {
    const monday = dayOffset(day, -6);
    const s = scheduleOf(
      zone,
      layer({ rotation: { kind: 'weekly', handoffDay: 'mon' }, start: monday, users: ['UA', 'UB'] }),
    );
    const [first] = shiftsBetween(s, [], {
      from: ms(`${monday}T09:00${before}`),
      until: ms(`${monday}T10:00${before}`),
    });
    const week = shiftsBetween(s, [], {
      from: ms(`${monday}T09:00${before}`),
      until: ms(`${dayOffset(day, 2)}T00:00${after}`),
    });
    expect(first?.user).toBe('UA');
    expect(week.map(shiftText)[0]).toBe(
      shiftText({
        user: 'UA',
        from: ms(`${monday}T09:00${before}`),
        until: ms(`${dayOffset(day, 1)}T09:00${after}`),
      }),
    );
    expect(((week[0]?.until ?? 0) - (week[0]?.from ?? 0)) / HOUR).toBe(7 * 24 + (lengths[1] as number) - 24);
  });

  it('an {hours: 24} rotation counts real hours, so its local handoff moves by the hour the clocks moved', () => {
    const s = scheduleOf(
      zone,
      layer({ rotation: { kind: 'hours', hours: 24 }, start: dayOffset(day, -1), users: ['UA', 'UB'] }),
    );
    const span = {
      from: ms(`${dayOffset(day, -1)}T09:00${before}`),
      until: ms(`${dayOffset(day, 2)}T00:00${after}`),
    };
    const shifts = shiftsBetween(s, [], span);
    expect(shifts.map((x) => (x.until - x.from) / HOUR).slice(0, 2)).toEqual([24, 24]);
    const shift = lengths[1] === 23 ? '10:00' : '08:00';
    expect(shifts[1]?.from).toBe(ms(`${day}T${shift}${after}`));
  });

  it('a restriction window is local wall-clock time on the day of the change too', () => {
    const base = layer({ start: '2026-01-01', users: ['UBASE'] });
    const night = layer({
      start: '2026-01-01',
      users: ['UNIGHT'],
      restrict: { days: ['sat'], from: hm('22:00'), to: hm('06:00') },
    });
    const s = scheduleOf(zone, base, night);
    const saturday = dayOffset(day, -1);
    const span = { from: ms(`${saturday}T12:00${before}`), until: ms(`${day}T12:00${after}`) };
    const shifts = shiftsBetween(s, [], span).filter((x) => x.user === 'UNIGHT');
    expect(shifts.map((x) => [x.from, x.until])).toEqual([
      [ms(`${saturday}T22:00${before}`), ms(`${day}T06:00${after}`)],
    ]);
    expect(who(s, `${day}T05:59${after}`)).toBe('UNIGHT');
    expect(who(s, `${day}T06:00${after}`)).toBe('UBASE');
  });
});

describe('handoff times a DST change skips or repeats (Temporal "compatible", RFC 5545)', () => {
  it('New York, 02:30 on 8 March 2026 does not exist: the handoff is at 03:30 EDT', () => {
    const s = scheduleOf(NEW_YORK, layer({ handoff: hm('02:30'), start: '2026-03-01', users: ['UA', 'UB'] }));
    const shifts = shiftsBetween(s, [], {
      from: ms('2026-03-07T02:30-05:00'),
      until: ms('2026-03-10T02:30-04:00'),
    });
    expect(shifts.map(shiftText)).toEqual([
      'UA 2026-03-07T07:30Z→2026-03-08T07:30Z', // 02:30 EST → 03:30 EDT: 24 real hours
      'UB 2026-03-08T07:30Z→2026-03-09T06:30Z', // 03:30 EDT → 02:30 EDT: 23 hours
      'UA 2026-03-09T06:30Z→2026-03-10T06:30Z',
    ]);
  });

  it('Berlin, 02:30 on 29 March 2026 does not exist: the handoff is at 03:30 CEST', () => {
    const s = scheduleOf(BERLIN, layer({ handoff: hm('02:30'), start: '2026-03-28', users: ['UA', 'UB'] }));
    expect(who(s, '2026-03-29T03:29+02:00')).toBe('UA');
    expect(who(s, '2026-03-29T03:30+02:00')).toBe('UB');
  });

  it('New York, 01:30 on 1 November 2026 happens twice: the handoff is the first one (EDT)', () => {
    const s = scheduleOf(NEW_YORK, layer({ handoff: hm('01:30'), start: '2026-10-31', users: ['UA', 'UB'] }));
    expect(who(s, '2026-11-01T01:29-04:00')).toBe('UA');
    expect(who(s, '2026-11-01T01:30-04:00')).toBe('UB');
    expect(who(s, '2026-11-01T01:30-05:00')).toBe('UB'); // the second 01:30 is no second handoff
    const shifts = shiftsBetween(s, [], {
      from: ms('2026-11-01T01:30-04:00'),
      until: ms('2026-11-02T12:00-05:00'),
    });
    expect(shifts.map(shiftText)[0]).toBe('UB 2026-11-01T05:30Z→2026-11-02T06:30Z'); // 25 hours
  });

  it('Berlin, 02:30 on 25 October 2026 happens twice: the handoff is the first one (CEST)', () => {
    const s = scheduleOf(BERLIN, layer({ handoff: hm('02:30'), start: '2026-10-24', users: ['UA', 'UB'] }));
    expect(who(s, '2026-10-25T02:29+02:00')).toBe('UA');
    expect(who(s, '2026-10-25T02:30+02:00')).toBe('UB');
    expect(who(s, '2026-10-25T02:30+01:00')).toBe('UB');
    expect(who(s, '2026-10-26T02:30+01:00')).toBe('UA');
  });

  it('a restriction from 01:00 to 04:00 lasts 2 real hours on the spring day and 4 on the autumn day', () => {
    const s = scheduleOf(
      NEW_YORK,
      layer({
        start: '2026-01-01',
        users: ['UA'],
        restrict: { days: ['sun'], from: hm('01:00'), to: hm('04:00') },
      }),
    );
    const length = (day: string, offset: string) =>
      shiftsBetween(s, [], { from: ms(`${day}T00:00${offset}`), until: ms(`${day}T12:00${offset}`) }).map(
        (x) => (x.until - x.from) / HOUR,
      );
    expect(length('2026-03-08', '-05:00')).toEqual([2]);
    expect(length('2026-11-01', '-04:00')).toEqual([4]);
  });

  it('an override is instants: it holds across a change exactly as given', () => {
    const s = scheduleOf(NEW_YORK, layer({ start: '2026-01-01', users: ['UA'] }));
    const bob = [override('UBOB', '2026-03-08T01:00-05:00', '2026-03-08T04:00-04:00')];
    expect(
      shiftsBetween(s, bob, { from: ms('2026-03-08T00:00-05:00'), until: ms('2026-03-08T05:00-04:00') }).map(
        shiftText,
      ),
    ).toEqual([
      'UA 2026-03-08T05:00Z→2026-03-08T06:00Z',
      'UBOB 2026-03-08T06:00Z→2026-03-08T08:00Z',
      'UA 2026-03-08T08:00Z→2026-03-08T09:00Z',
    ]);
  });
});

describe('Asia/Tokyo (no DST)', () => {
  it('a daily 09:00 handoff is 00:00 UTC every day of the year, every turn 24 hours', () => {
    const s = scheduleOf('Asia/Tokyo', layer({ start: '2026-01-01', users: ['UA', 'UB', 'UC'] }));
    const shifts = shiftsBetween(s, [], {
      from: ms('2026-01-01T09:00+09:00'),
      until: ms('2027-01-01T09:00+09:00'),
    });
    expect(shifts).toHaveLength(365);
    expect(shifts.every((x) => new Date(x.from).toISOString().endsWith('T00:00:00.000Z'))).toBe(true);
    expect(shifts.every((x) => x.until - x.from === 24 * HOUR)).toBe(true);
    expect(shifts.map((x) => x.user).slice(0, 4)).toEqual(['UA', 'UB', 'UC', 'UA']);
  });

  it('a weekly Monday rotation with office hours in Tokyo', () => {
    const s = scheduleOf(
      'Asia/Tokyo',
      layer({
        rotation: { kind: 'weekly', handoffDay: 'mon' },
        start: '2026-11-02',
        users: ['UA', 'UB'],
        restrict: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: hm('10:00'), to: hm('19:00') },
      }),
    );
    expect(who(s, '2026-11-02T09:59+09:00')).toBeUndefined();
    expect(who(s, '2026-11-02T10:00+09:00')).toBe('UA');
    expect(who(s, '2026-11-09T18:59+09:00')).toBe('UB');
    expect(who(s, '2026-11-09T19:00+09:00')).toBeUndefined();
  });
});
