import { describe, expect, it } from 'vitest';
import {
  addResponder,
  moveResponder,
  removeResponder,
  renumber,
  type OncallEntry,
} from '../../src/domain/oncall.js';

const list: OncallEntry[] = [
  { userId: 'U0BBB', phone: '+819012340002', priority: 5 },
  { userId: 'U0AAA', phone: '+819012340001', priority: 1 },
  { userId: 'U0CCC', phone: '+14155550100', priority: 9 },
];

const order = (entries: OncallEntry[]) => entries.map((e) => `${e.priority}:${e.userId}`);

describe('on-call list operations', () => {
  it('renumbers to 1..n in priority order', () => {
    expect(order(renumber(list))).toEqual(['1:U0AAA', '2:U0BBB', '3:U0CCC']);
  });

  it('adds at the end by default, or at a priority', () => {
    const end = addResponder(list, { userId: 'U0DDD', phone: '+819012340004' });
    expect(end.ok && order(end.entries)).toEqual(['1:U0AAA', '2:U0BBB', '3:U0CCC', '4:U0DDD']);
    const first = addResponder(list, { userId: 'U0DDD', phone: '+819012340004', priority: 1 });
    expect(first.ok && order(first.entries)).toEqual(['1:U0DDD', '2:U0AAA', '3:U0BBB', '4:U0CCC']);
    const past = addResponder(list, { userId: 'U0DDD', phone: '+819012340004', priority: 99 });
    expect(past.ok && order(past.entries)).toEqual(['1:U0AAA', '2:U0BBB', '3:U0CCC', '4:U0DDD']);
  });

  it('refuses bad phones, duplicates and bad priorities', () => {
    expect(addResponder(list, { userId: 'U0DDD', phone: '090-1234-5678' })).toEqual({
      ok: false,
      reason: 'invalid_phone',
    });
    expect(addResponder(list, { userId: 'U0AAA', phone: '+819012340009' })).toEqual({
      ok: false,
      reason: 'already_listed',
    });
    expect(addResponder(list, { userId: 'U0DDD', phone: '+819012340004', priority: 0 })).toEqual({
      ok: false,
      reason: 'invalid_priority',
    });
    expect(moveResponder(list, 'U0AAA', 1.5)).toEqual({ ok: false, reason: 'invalid_priority' });
  });

  it('removes and closes the gap', () => {
    const result = removeResponder(list, 'U0BBB');
    expect(result.ok && order(result.entries)).toEqual(['1:U0AAA', '2:U0CCC']);
    expect(removeResponder(list, 'U0ZZZ')).toEqual({ ok: false, reason: 'not_listed' });
  });

  it('moves someone to a place', () => {
    const top = moveResponder(list, 'U0CCC', 1);
    expect(top.ok && order(top.entries)).toEqual(['1:U0CCC', '2:U0AAA', '3:U0BBB']);
    const bottom = moveResponder(list, 'U0AAA', 3);
    expect(bottom.ok && order(bottom.entries)).toEqual(['1:U0BBB', '2:U0CCC', '3:U0AAA']);
    expect(moveResponder(list, 'U0ZZZ', 1)).toEqual({ ok: false, reason: 'not_listed' });
  });
});
