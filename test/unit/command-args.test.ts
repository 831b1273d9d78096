import { describe, expect, it } from 'vitest';
import {
  parseIncidentCommand,
  parseOncallCommand,
  parseUserMention,
} from '../../src/listeners/commands/args.js';

describe('/incident arguments', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['new', { kind: 'new' }],
    ['ack', { kind: 'ack' }],
    ['ack INC-42', { kind: 'ack', id: 'INC-42' }],
    ['ACK inc-7', { kind: 'ack', id: 'INC-7' }],
    ['show 12', { kind: 'show', id: 'INC-12' }],
    ['resolve', { kind: 'resolve' }],
    ['resolve INC-3', { kind: 'resolve', id: 'INC-3' }],
    ['resolve INC-3 rolled back v2', { kind: 'resolve', id: 'INC-3', note: 'rolled back v2' }],
    ['resolve rolled back', { kind: 'resolve', note: 'rolled back' }],
    ['analyse INC-1', { kind: 'analyze', id: 'INC-1' }],
    ['report', { kind: 'report' }],
    ['snooze 30m', { kind: 'snooze', durationMs: 30 * 60_000 }],
    ['snooze INC-4 2h', { kind: 'snooze', id: 'INC-4', durationMs: 2 * 3_600_000 }],
    ['snooze 4 1d', { kind: 'snooze', id: 'INC-4', durationMs: 86_400_000 }],
    ['snooze off', { kind: 'unsnooze' }],
    ['snooze INC-4 off', { kind: 'unsnooze', id: 'INC-4' }],
    ['severity critical', { kind: 'severity', severity: 'critical' }],
    ['severity INC-4 warn', { kind: 'severity', id: 'INC-4', severity: 'warning' }],
  ])('%j', (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it.each([
    'frobnicate',
    'ack INC-1 INC-2',
    'show banana',
    'list everything',
    'snooze',
    'snooze INC-4',
    'snooze soon',
    'snooze banana 30m',
    'snooze INC-4 30m more',
    'severity',
    'severity INC-4',
    'severity fatal',
  ])('refuses %j', (text) => {
    expect(parseIncidentCommand(text).kind).toBe('error');
  });
});

describe('/oncall arguments', () => {
  it('reads escaped mentions and bare ids', () => {
    expect(parseUserMention('<@U0ALICE01|alice>')).toBe('U0ALICE01');
    expect(parseUserMention('<@W0ALICE01>')).toBe('W0ALICE01');
    expect(parseUserMention('U0ALICE01')).toBe('U0ALICE01');
    expect(parseUserMention('@alice')).toBeUndefined();
  });

  it.each([
    ['', { kind: 'list' }],
    ['edit', { kind: 'edit' }],
    ['add <@U1AAA|a> +819012340001', { kind: 'add', userId: 'U1AAA', phone: '+819012340001' }],
    ['add <@U1AAA|a> +819012340001 2', { kind: 'add', userId: 'U1AAA', phone: '+819012340001', priority: 2 }],
    [
      'add <@U1AAA|a> +81 90-1234-0001 3',
      { kind: 'add', userId: 'U1AAA', phone: '+81 90-1234-0001', priority: 3 },
    ],
    ['add <@U1AAA|a> 090 1234 0001', { kind: 'add', userId: 'U1AAA', phone: '090 1234 0001' }],
    ['phone +81 90-1234-5678', { kind: 'phone', phone: '+81 90-1234-5678' }],
    ['phone', { kind: 'phone' }],
    ['remove <@U1AAA|a>', { kind: 'remove', userId: 'U1AAA' }],
    ['move <@U1AAA|a> 1', { kind: 'move', userId: 'U1AAA', priority: 1 }],
  ])('%j', (text, expected) => {
    expect(parseOncallCommand(text)).toEqual(expected);
  });

  it.each([
    'add',
    'add @alice +81',
    'add <@U1AAA|a>',
    'add <@U1AAA|a> +8190 zero',
    'move <@U1AAA|a>',
    'move <@U1AAA|a> 0',
    'remove',
    'dance',
  ])('refuses %j', (text) => {
    expect(parseOncallCommand(text).kind).toBe('error');
  });
});
