/**
 * `/oncall` for schedules (issue 18), parsed: which subcommands belong to schedules, mentions as Slack escapes
 * them (`<@U123|name>`), and a trailing schedule id split off the times.
 */
import { describe, expect, it } from 'vitest';
import {
  isScheduleCommand,
  parseScheduleCommand,
  splitSchedule,
} from '../../src/listeners/commands/schedule-args.js';

describe('/oncall for schedules', () => {
  it('owns the overview, who, override and swap; the flat list keeps add, remove, move, edit and help', () => {
    for (const text of ['', '  ', 'list', 'WHO', 'who payments', 'override', 'swap @x'])
      expect(isScheduleCommand(text), text).toBe(true);
    for (const text of ['add <@U1> +81', 'remove <@U1>', 'move <@U1> 2', 'edit', 'help', 'nonsense'])
      expect(isScheduleCommand(text), text).toBe(false);
  });

  it('reads escaped mentions, bare ids, and the words after them', () => {
    expect(parseScheduleCommand('override <@U0BOB0001|bob> now +2h payments-primary')).toEqual({
      kind: 'override',
      user: 'U0BOB0001',
      words: ['now', '+2h', 'payments-primary'],
    });
    expect(parseScheduleCommand('swap U0CAROL01')).toEqual({ kind: 'swap', user: 'U0CAROL01', words: [] });
    expect(parseScheduleCommand('who payments-primary 2027-03-10 10:00')).toEqual({
      kind: 'who',
      words: ['payments-primary', '2027-03-10', '10:00'],
    });
    expect(parseScheduleCommand('override')).toEqual({ kind: 'override-modal' });
    expect(parseScheduleCommand('')).toEqual({ kind: 'overview' });
  });

  it('says what is missing', () => {
    expect(parseScheduleCommand('override bob now +2h')).toMatchObject({ kind: 'error' });
    expect(parseScheduleCommand('swap')).toMatchObject({
      kind: 'error',
      problem: expect.stringContaining('who to ask'),
    });
    expect(parseScheduleCommand('list everything')).toMatchObject({ kind: 'error' });
  });

  it('splits a trailing schedule id (any case) off the times', () => {
    const ids = ['payments-primary', 'database'];
    expect(splitSchedule(['now', '+2h', 'Database'], ids)).toEqual({
      words: ['now', '+2h'],
      schedule: 'database',
    });
    expect(splitSchedule(['2027-03-10', '10:00', '+2h'], ids)).toEqual({
      words: ['2027-03-10', '10:00', '+2h'],
    });
    expect(splitSchedule([], ids)).toEqual({ words: [] });
  });
});
