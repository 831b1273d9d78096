/**
 * What a handoff tick acts on (issue 18), from the same timeline every view reads: the latest change of who is
 * on call within the lookback, and the shifts that start within the reminder lead; across a DST change too.
 */
import { describe, expect, it } from 'vitest';
import { latestHandoff, shiftsStartingSoon } from '../../src/domain/schedules/handoffs.js';
import { formatShiftTime, parseIsoInstant } from '../../src/domain/schedules/wall-clock.js';
import { hm, layer, ms, override, scheduleOf } from '../helpers/schedules.js';

const HOUR = 3_600_000;
// Daily 09:00 handoffs in Berlin between alice and bob; summer time begins Sunday 2027-03-28 (02:00 → 03:00).
const berlin = scheduleOf(
  'Europe/Berlin',
  layer({ users: ['alice', 'bob'], handoff: hm('09:00'), start: '2027-03-01' }),
);

describe('latestHandoff', () => {
  it('finds the change of who is on call within the lookback, and nothing outside it', () => {
    // 2027-03-29 09:00 CEST is 07:00Z (summer time), the day before 08:00Z.
    expect(latestHandoff(berlin, [], ms('2027-03-29T07:30:00Z'), 6 * HOUR)).toEqual({
      schedule: 'team',
      at: ms('2027-03-29T07:00:00Z'),
      outgoing: 'bob',
      incoming: 'alice',
    });
    expect(latestHandoff(berlin, [], ms('2027-03-27T08:00:00Z'), 6 * HOUR)?.at).toBe(
      ms('2027-03-27T08:00:00Z'),
    );
    expect(latestHandoff(berlin, [], ms('2027-03-29T14:00:00Z'), 6 * HOUR)).toBeUndefined();
  });

  it('sees an override’s start as a handoff', () => {
    const overrides = [override('carol', '2027-03-29T10:00:00Z', '2027-03-29T12:00:00Z')];
    expect(latestHandoff(berlin, overrides, ms('2027-03-29T10:05:00Z'), 6 * HOUR)).toMatchObject({
      outgoing: 'alice',
      incoming: 'carol',
    });
  });
});

describe('shiftsStartingSoon', () => {
  it('lists the shifts that start within the lead, not the one in progress', () => {
    expect(shiftsStartingSoon(berlin, [], ms('2027-03-29T06:05:00Z'), HOUR)).toEqual([
      { schedule: 'team', user: 'alice', from: ms('2027-03-29T07:00:00Z') },
    ]);
    expect(shiftsStartingSoon(berlin, [], ms('2027-03-29T05:59:00Z'), HOUR)).toEqual([]);
    expect(shiftsStartingSoon(berlin, [], ms('2027-03-29T07:00:00Z'), HOUR)).toEqual([]);
  });
});

describe('times as views show them', () => {
  it('names a weekday within six days, the date beyond', () => {
    const now = ms('2027-03-24T12:00:00Z');
    expect(formatShiftTime(ms('2027-03-29T07:00:00Z'), 'Europe/Berlin', now)).toBe('Mon 09:00');
    expect(formatShiftTime(ms('2027-04-05T07:00:00Z'), 'Europe/Berlin', now)).toBe('Mon 2027-04-05 09:00');
    expect(formatShiftTime(ms('2027-03-29T07:00:00Z'), 'Asia/Tokyo', now)).toBe('Mon 16:00');
  });

  it('reads ISO 8601 instants with an offset only', () => {
    expect(parseIsoInstant('2027-03-10T10:00+01:00')).toBe(ms('2027-03-10T09:00:00Z'));
    expect(parseIsoInstant('2027-03-10T10:00:00.5Z')).toBe(ms('2027-03-10T10:00:00.500Z'));
    for (const text of ['2027-03-10T10:00', '2027-03-10', 'now', '2027-02-30T10:00Z', '2027-03-10 10:00Z'])
      expect(parseIsoInstant(text), text).toBeUndefined();
  });
});
