import { describe, expect, it } from 'vitest';
import { onCallView, shiftsBetween, timeline } from '../../src/domain/schedules/on-call.js';
import { hm, layer, ms, override, scheduleOf, shiftText, who } from '../helpers/schedules.js';

// Europe/Berlin is UTC+1 throughout November 2026 and 2026-11-02 is a Monday.
const BERLIN = 'Europe/Berlin';
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('rotations', () => {
  it('daily: hands off every day at the local handoff time, in turn, and has nobody before start', () => {
    const s = scheduleOf(BERLIN, layer({ users: ['UA', 'UB', 'UC'] }));
    expect(who(s, '2026-11-02T08:59+01:00')).toBeUndefined();
    expect(who(s, '2026-11-02T09:00+01:00')).toBe('UA');
    expect(who(s, '2026-11-03T08:59+01:00')).toBe('UA');
    expect(who(s, '2026-11-03T09:00+01:00')).toBe('UB');
    expect(who(s, '2026-11-04T12:00+01:00')).toBe('UC');
    expect(who(s, '2026-11-05T12:00+01:00')).toBe('UA');
    // Far from start the turn is still right (turn 367 → 367 % 3 = 1).
    expect(who(s, '2027-11-04T12:00+01:00')).toBe('UB');
  });

  it('weekly: hands off on the start weekday by default, at the handoff time', () => {
    const s = scheduleOf(
      BERLIN,
      layer({ rotation: { kind: 'weekly', handoffDay: 'mon' }, users: ['UA', 'UB'] }),
    );
    expect(who(s, '2026-11-02T09:00+01:00')).toBe('UA');
    expect(who(s, '2026-11-08T23:00+01:00')).toBe('UA');
    expect(who(s, '2026-11-09T08:59+01:00')).toBe('UA');
    expect(who(s, '2026-11-09T09:00+01:00')).toBe('UB');
    expect(who(s, '2026-11-16T09:00+01:00')).toBe('UA');
  });

  it('weekly with a handoff_day other than the start day: a shorter first turn, then whole weeks', () => {
    const s = scheduleOf(
      BERLIN,
      layer({
        rotation: { kind: 'weekly', handoffDay: 'fri' },
        start: '2026-11-04',
        handoff: hm('17:30'),
        users: ['UA', 'UB'],
      }),
    );
    expect(who(s, '2026-11-04T17:29+01:00')).toBeUndefined();
    expect(who(s, '2026-11-04T17:30+01:00')).toBe('UA');
    expect(who(s, '2026-11-06T17:29+01:00')).toBe('UA');
    expect(who(s, '2026-11-06T17:30+01:00')).toBe('UB');
    expect(who(s, '2026-11-13T17:29+01:00')).toBe('UB');
    expect(who(s, '2026-11-13T17:30+01:00')).toBe('UA');
  });

  it('{hours: N}: N real hours from start at handoff', () => {
    const s = scheduleOf(BERLIN, layer({ rotation: { kind: 'hours', hours: 12 }, users: ['UA', 'UB'] }));
    expect(who(s, '2026-11-02T09:00+01:00')).toBe('UA');
    expect(who(s, '2026-11-02T20:59+01:00')).toBe('UA');
    expect(who(s, '2026-11-02T21:00+01:00')).toBe('UB');
    expect(who(s, '2026-11-03T09:00+01:00')).toBe('UA');
    const eight = scheduleOf(
      BERLIN,
      layer({ rotation: { kind: 'hours', hours: 8 }, users: ['UA', 'UB', 'UC', 'UD'] }),
    );
    // 24 h = 3 turns a day, so the person on at 09:00 changes every day: UA, UD, UC, UB, UA...
    expect(['02', '03', '04', '05', '06'].map((d) => who(eight, `2026-11-${d}T09:00+01:00`))).toEqual([
      'UA',
      'UD',
      'UC',
      'UB',
      'UA',
    ]);
  });
});

describe('layers and restrictions', () => {
  const base = layer({ users: ['UBASE'] });
  const office = layer({
    rotation: { kind: 'weekly', handoffDay: 'mon' },
    users: ['UA', 'UB'],
    restrict: { days: weekdays, from: hm('09:00'), to: hm('18:00') },
  });

  it('a later layer wins inside its windows, and lower layers show through outside them', () => {
    const s = scheduleOf(BERLIN, base, office);
    expect(who(s, '2026-11-02T10:00+01:00')).toBe('UA');
    expect(who(s, '2026-11-02T17:59+01:00')).toBe('UA');
    expect(who(s, '2026-11-02T18:00+01:00')).toBe('UBASE');
    expect(who(s, '2026-11-03T08:59+01:00')).toBe('UBASE');
    expect(who(s, '2026-11-07T12:00+01:00')).toBe('UBASE'); // Saturday
    expect(who(s, '2026-11-09T12:00+01:00')).toBe('UB'); // the rotation kept turning meanwhile
  });

  it('an earlier layer never beats a later one, and a layer before its start lets the others through', () => {
    const s = scheduleOf(BERLIN, office, base);
    expect(who(s, '2026-11-02T10:00+01:00')).toBe('UBASE');
    const later = scheduleOf(BERLIN, base, layer({ start: '2026-11-10', users: ['ULATE'] }));
    expect(who(s, '2026-11-09T10:00+01:00')).toBe('UBASE');
    expect(who(later, '2026-11-09T10:00+01:00')).toBe('UBASE');
    expect(who(later, '2026-11-10T10:00+01:00')).toBe('ULATE');
  });

  it('with only a restricted layer, there is nobody outside its windows', () => {
    const s = scheduleOf(BERLIN, office);
    expect(who(s, '2026-11-02T08:00+01:00')).toBeUndefined();
    expect(who(s, '2026-11-02T20:00+01:00')).toBeUndefined();
  });

  it('an overnight window belongs to the day it starts on; equal times make 24 hours', () => {
    const nights = layer({
      users: ['UNIGHT'],
      restrict: { days: ['fri'], from: hm('18:00'), to: hm('09:00') },
    });
    const s = scheduleOf(BERLIN, base, nights);
    expect(who(s, '2026-11-06T17:59+01:00')).toBe('UBASE');
    expect(who(s, '2026-11-06T18:00+01:00')).toBe('UNIGHT');
    expect(who(s, '2026-11-07T08:59+01:00')).toBe('UNIGHT');
    expect(who(s, '2026-11-07T09:00+01:00')).toBe('UBASE');
    expect(who(s, '2026-11-07T20:00+01:00')).toBe('UBASE'); // Saturday evening is not Friday's
    const weekend = layer({
      users: ['UWKND'],
      restrict: { days: ['sat', 'sun'], from: hm('00:00'), to: hm('00:00') },
    });
    const w = scheduleOf(BERLIN, base, weekend);
    expect(who(w, '2026-11-06T23:59+01:00')).toBe('UBASE');
    expect(who(w, '2026-11-07T00:00+01:00')).toBe('UWKND');
    expect(who(w, '2026-11-08T23:59+01:00')).toBe('UWKND');
    expect(who(w, '2026-11-09T00:00+01:00')).toBe('UBASE');
  });

  it('the timeline covers the span and merges where the same person stays on', () => {
    const s = scheduleOf(BERLIN, layer({ users: ['UA'] }), office);
    const segments = timeline(s, [], {
      from: ms('2026-11-02T00:00+01:00'),
      until: ms('2026-11-03T12:00+01:00'),
    });
    expect(
      segments.map((x) => [x.user, new Date(x.from).toISOString(), new Date(x.until).toISOString()]),
    ).toEqual([
      [undefined, '2026-11-01T23:00:00.000Z', '2026-11-02T08:00:00.000Z'],
      ['UA', '2026-11-02T08:00:00.000Z', '2026-11-03T11:00:00.000Z'], // layer 2 has UA too: one shift
    ]);
  });
});

describe('overrides', () => {
  const s = scheduleOf(BERLIN, layer({ users: ['UA', 'UB', 'UC'] }));

  it('replaces whoever is on call from its start to its end, mid-shift', () => {
    const bob = [override('UBOB', '2026-11-02T13:00+01:00', '2026-11-02T15:00+01:00')];
    expect(who(s, '2026-11-02T12:59+01:00', bob)).toBe('UA');
    expect(who(s, '2026-11-02T13:00+01:00', bob)).toBe('UBOB');
    expect(who(s, '2026-11-02T14:59+01:00', bob)).toBe('UBOB');
    expect(who(s, '2026-11-02T15:00+01:00', bob)).toBe('UA');
  });

  it('spans a handoff: the next turn starts when the override ends', () => {
    const bob = [override('UBOB', '2026-11-03T08:00+01:00', '2026-11-03T10:00+01:00')];
    expect(who(s, '2026-11-03T07:59+01:00', bob)).toBe('UA');
    expect(who(s, '2026-11-03T09:30+01:00', bob)).toBe('UBOB');
    expect(who(s, '2026-11-03T10:00+01:00', bob)).toBe('UB');
  });

  it('covers a gap where nobody was on call, and ignores other schedules', () => {
    const restricted = scheduleOf(
      BERLIN,
      layer({ users: ['UA'], restrict: { days: weekdays, from: hm('09:00'), to: hm('17:00') } }),
    );
    const overrides = [
      override('UBOB', '2026-11-02T20:00+01:00', '2026-11-02T22:00+01:00'),
      override('UOTHER', '2026-11-02T10:00+01:00', '2026-11-02T11:00+01:00', 'other-team'),
    ];
    expect(who(restricted, '2026-11-02T21:00+01:00', overrides)).toBe('UBOB');
    expect(who(restricted, '2026-11-02T10:30+01:00', overrides)).toBe('UA');
  });

  it('shows in the views: the current shift ends where the override starts, and the override is next', () => {
    const bob = [override('UBOB', '2026-11-02T13:00+01:00', '2026-11-02T15:00+01:00')];
    const before = onCallView(s, bob, ms('2026-11-02T10:00+01:00'), 3);
    expect(before.onCall.map(shiftText)).toEqual(['UA 2026-11-02T08:00Z→2026-11-02T12:00Z']);
    expect(before.next.map(shiftText)).toEqual([
      'UBOB 2026-11-02T12:00Z→2026-11-02T14:00Z',
      'UA 2026-11-02T14:00Z→2026-11-03T08:00Z',
      'UB 2026-11-03T08:00Z→2026-11-04T08:00Z',
    ]);
    const during = onCallView(s, bob, ms('2026-11-02T14:00+01:00'), 1);
    expect(during.onCall.map(shiftText)).toEqual(['UBOB 2026-11-02T12:00Z→2026-11-02T14:00Z']);
    expect(during.next.map(shiftText)).toEqual(['UA 2026-11-02T14:00Z→2026-11-03T08:00Z']);
  });

  it('an override for the person already on call changes nothing in the shift', () => {
    const self = [override('UA', '2026-11-02T13:00+01:00', '2026-11-02T15:00+01:00')];
    expect(onCallView(s, self, ms('2026-11-02T14:00+01:00'), 0).onCall.map(shiftText)).toEqual([
      'UA 2026-11-02T08:00Z→2026-11-03T08:00Z',
    ]);
  });
});

describe('views', () => {
  it('someone on call for good: from the layer start, until null (beyond the horizon)', () => {
    const s = scheduleOf(BERLIN, layer({ users: ['UA'] }));
    const view = onCallView(s, [], ms('2026-12-24T12:00+01:00'));
    expect(view.onCall).toEqual([{ user: 'UA', from: ms('2026-11-02T09:00+01:00'), until: null }]);
    expect(view.next).toEqual([]);
  });

  it('nobody on call now: the next shifts, after the gap', () => {
    const s = scheduleOf(
      BERLIN,
      layer({ users: ['UA', 'UB'], restrict: { days: ['mon'], from: hm('09:00'), to: hm('10:00') } }),
    );
    const view = onCallView(s, [], ms('2026-11-04T12:00+01:00'));
    expect(view.onCall).toEqual([]);
    expect(view.next.map(shiftText)).toEqual([
      'UB 2026-11-09T08:00Z→2026-11-09T09:00Z', // a daily rotation: Monday 9 November is turn 7
      'UA 2026-11-16T08:00Z→2026-11-16T09:00Z',
    ]);
  });

  it('a schedule that has not started: nobody now, the first shifts next', () => {
    const s = scheduleOf(BERLIN, layer({ start: '2027-06-01', users: ['UA'] }));
    const view = onCallView(s, [], ms('2026-11-04T12:00+01:00'), 1);
    expect(view).toEqual({
      onCall: [],
      next: [{ user: 'UA', from: ms('2027-06-01T09:00+02:00'), until: null }],
    });
    expect(onCallView(s, [], ms('2025-01-01T00:00Z'))).toEqual({ onCall: [], next: [] });
  });

  it('shiftsBetween clips to the span it is asked for', () => {
    const s = scheduleOf(BERLIN, layer({ users: ['UA', 'UB'] }));
    const span = { from: ms('2026-11-03T00:00+01:00'), until: ms('2026-11-04T12:00+01:00') };
    expect(shiftsBetween(s, [], span).map(shiftText)).toEqual([
      'UA 2026-11-02T23:00Z→2026-11-03T08:00Z',
      'UB 2026-11-03T08:00Z→2026-11-04T08:00Z',
      'UA 2026-11-04T08:00Z→2026-11-04T11:00Z',
    ]);
    expect(shiftsBetween(s, [], { from: span.until, until: span.from })).toEqual([]);
  });
});
