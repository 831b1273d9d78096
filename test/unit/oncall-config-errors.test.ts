import { describe, expect, it } from 'vitest';
import { parseOncallConfig } from '../../src/config/oncall/load.js';
import { ErrorCode } from '../../src/errors.js';
import { LAYER, problems, schedule, valid } from '../helpers/oncall-config.js';

// Every way ONCALL_CONFIG can be wrong, each with its exact reason and place (line:column: path: reason).
describe('parseOncallConfig refuses', () => {
  it('a file with many problems, naming each at once, in file order, with line and column', () => {
    const text = `schedules:
  - id: a
    time_zone: europe/berlin
    layers:
      - rotation: monthly
        handoff: 9:00
        start: 2026-02-30
        users: []
        handof: x
      - rotation: {hours: 0}
        handoff: "09:00"
        start: "2026-01-01"
        users: [alice]
  - id: a
    time_zone: UTC
    layers: []
escalation_policies:
  - id: responders
    steps:
      - targets: [{schedule: nope}, {team: x}, 5, {user: bob}]
        notify: [slack, fax]
        wait_minutes: -1
routes:
  - match: ['foo="bar"', 'label:team=~"("', 'severity="crit"', 'title', 7]
    policy: nope
default_policy: other
extra: 1
`;
    expect(problems(text)).toEqual([
      '3:5: schedules[0].time_zone: expected an IANA time zone name such as Europe/Berlin, got "europe/berlin" (did you mean "Europe/Berlin"?)',
      '5:9: schedules[0].layers[0].rotation: expected daily, weekly or {hours: N}, got "monthly"',
      '6:9: schedules[0].layers[0].handoff: expected "HH:MM", got "9:00"',
      '7:9: schedules[0].layers[0].start: expected a date "YYYY-MM-DD" that exists, got "2026-02-30"',
      '8:9: schedules[0].layers[0].users: expected at least one user',
      '9:9: schedules[0].layers[0].handof: unknown key (known keys: rotation, handoff, handoff_day, start, users, restrict)',
      '10:20: schedules[0].layers[1].rotation.hours: expected a whole number of hours from 1 to 8784, got 0',
      '13:17: schedules[0].layers[1].users[0]: expected a Slack user id such as U01ALICE, got "alice"',
      '14:5: schedules[1].id: duplicate id "a" (also schedules[0])',
      '16:5: schedules[1].layers: expected at least one layer',
      '18:5: escalation_policies[0].id: "responders" is the built-in policy of the flat responders list; choose another id',
      '20:20: escalation_policies[0].steps[0].targets[0].schedule: unknown schedule "nope" (schedules: a)',
      '20:37: escalation_policies[0].steps[0].targets[1]: expected one of {schedule: <id>}, {user: <Slack user id>} or {responders: <group>}, got a map with "team"',
      '20:48: escalation_policies[0].steps[0].targets[2]: expected one of {schedule: <id>}, {user: <Slack user id>} or {responders: <group>}, got 5',
      '20:52: escalation_policies[0].steps[0].targets[3].user: expected a Slack user id such as U01ALICE, got "bob"',
      '21:25: escalation_policies[0].steps[0].notify[1]: expected slack or phone, got "fax"',
      '22:9: escalation_policies[0].steps[0].wait_minutes: expected a whole number from 0 to 1440, got -1',
      '24:13: routes[0].match[0]: unknown field "foo": expected source, severity, title, dedup_key or label:<name>',
      '24:26: routes[0].match[1]: invalid regular expression "(": Unterminated group',
      '24:45: routes[0].match[2]: severity is one of critical, error, warning, info, got "crit"',
      '24:64: routes[0].match[3]: expected <field><op><value> with op =, !=, =~ or !~ (e.g. label:team="payments"), got "title"',
      `24:73: routes[0].match[4]: expected a matcher such as 'label:team="payments"', got 7`,
      '25:5: routes[0].policy: unknown policy "nope" (policies: responders)',
      '26:1: default_policy: unknown policy "other" (policies: responders)',
      '27:1: extra: unknown key (known keys: schedules, escalation_policies, routes, default_policy)',
    ]);
  });

  it('puts the file path in front of every problem and returns a coded error with them all', () => {
    const result = parseOncallConfig(schedule(LAYER.replace('"09:00"', '"9"')), '/etc/hikeshi/oncall.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(ErrorCode.ConfigInvalid);
    expect(result.error.message).toBe(
      'Invalid ONCALL_CONFIG /etc/hikeshi/oncall.yaml:\n' +
        '  - /etc/hikeshi/oncall.yaml:6:9: schedules[0].layers[0].handoff: expected "HH:MM", got "9"',
    );
    expect(result.error.details).toEqual({ file: '/etc/hikeshi/oncall.yaml', problems: result.problems });
    expect(result.problems).toEqual([
      {
        file: '/etc/hikeshi/oncall.yaml',
        line: 6,
        column: 9,
        path: 'schedules[0].layers[0].handoff',
        reason: 'expected "HH:MM", got "9"',
      },
    ]);
  });

  it.each([
    ['handoff: "24:00"', 'schedules[0].layers[0].handoff: expected "HH:MM", got "24:00"'],
    ['handoff: "9:00"', 'schedules[0].layers[0].handoff: expected "HH:MM", got "9:00"'],
    ['handoff: 900', 'schedules[0].layers[0].handoff: expected "HH:MM", got 900'],
    ['handoff:', 'schedules[0].layers[0].handoff: expected "HH:MM", got nothing'],
    [
      'start: "2026-11-2"',
      'schedules[0].layers[0].start: expected a date "YYYY-MM-DD" that exists, got "2026-11-2"',
    ],
    [
      'rotation: {hours: 1.5}',
      'schedules[0].layers[0].rotation.hours: expected a whole number of hours from 1 to 8784, got 1.5',
    ],
    [
      'rotation: {days: 2}',
      'schedules[0].layers[0].rotation: expected daily, weekly or {hours: N}, got a map',
    ],
    [
      'rotation: [daily]',
      'schedules[0].layers[0].rotation: expected daily, weekly or {hours: N}, got a list',
    ],
    ['users: U01ALICE', 'schedules[0].layers[0].users: expected a list, got "U01ALICE"'],
    ['handoff_day: monday', 'schedules[0].layers[0].handoff_day: only a weekly rotation has a handoff_day'],
    ['restrict: {}', 'schedules[0].layers[0].restrict: expected at least one of days, from, to'],
    ['restrict: {days: []}', 'schedules[0].layers[0].restrict.days: expected at least one day'],
    [
      'restrict: {days: [mo]}',
      'schedules[0].layers[0].restrict.days[0]: expected a day: mon, tue, wed, thu, fri, sat, sun (or monday … sunday), got "mo"',
    ],
    ['restrict: {from: "9"}', 'schedules[0].layers[0].restrict.from: expected "HH:MM", got "9"'],
  ])('refuses a layer with %s', (line, expected) => {
    const key = line.split(':')[0] as string;
    const layer = LAYER.split('\n').filter((l) => !l.startsWith(`${key}:`));
    expect(problems(schedule([...layer, line].join('\n'))).map((p) => p.replace(/^\d+:\d+: /, ''))).toEqual([
      expected,
    ]);
  });

  it.each([
    [
      'id: "payments primary"',
      'schedules[0].id: expected an id of letters, digits, - and _ (at most 64), got "payments primary"',
    ],
    [
      'time_zone: "+01:00"',
      'schedules[0].time_zone: expected an IANA time zone name such as Europe/Berlin, got "+01:00"',
    ],
    [
      'time_zone: Mars/Olympus',
      'schedules[0].time_zone: expected an IANA time zone name such as Europe/Berlin, got "Mars/Olympus"',
    ],
    [
      'channel: "#Payments Team"',
      'schedules[0].channel: expected a Slack channel id such as C0PAYMENTS, or a channel name, got "#Payments Team"',
    ],
    [
      'slack_usergroup: payments',
      'schedules[0].slack_usergroup: expected a Slack user group id such as S0PAYONCALL, got "payments"',
    ],
    ['layers: {}', 'schedules[0].layers: expected a list, got a map'],
  ])('refuses a schedule with %s', (line, expected) => {
    const fields = {
      id: 's1',
      time_zone: 'Europe/Berlin',
      layers: `\n      - ${LAYER.split('\n').join('\n        ')}`,
    };
    const key = line.split(':')[0] as string;
    const text = Object.entries({ ...fields, [key]: line.slice(key.length + 1).trim() })
      .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`)
      .join('\n');
    expect(problems(`schedules:\n${text}`).map((p) => p.replace(/^\d+:\d+: /, ''))).toEqual([expected]);
  });

  it('says "required" for each missing key', () => {
    expect(problems('schedules:\n  - layers: [{}]')).toEqual([
      '2:5: schedules[0].id: required',
      '2:5: schedules[0].time_zone: required',
      '2:14: schedules[0].layers[0].rotation: required',
      '2:14: schedules[0].layers[0].handoff: required',
      '2:14: schedules[0].layers[0].start: required',
      '2:14: schedules[0].layers[0].users: required',
    ]);
    expect(problems('escalation_policies:\n  - id: p\n    steps: [{}]\nroutes: [{}]')).toEqual([
      '3:13: escalation_policies[0].steps[0].targets: required',
      '3:13: escalation_policies[0].steps[0].notify: required',
      '4:10: routes[0].policy: required',
    ]);
  });

  it('refuses bad policies and steps', () => {
    const policy = (body: string) => `escalation_policies:\n  - id: p\n${body}`;
    expect(problems(policy('    steps: []'))).toEqual([
      '3:5: escalation_policies[0].steps: expected at least one step',
    ]);
    expect(
      problems(policy('    repeat: 11\n    steps: [{targets: [{user: U01}], notify: [slack]}]')),
    ).toEqual(['3:5: escalation_policies[0].repeat: expected a whole number from 0 to 10, got 11']);
    expect(problems(policy('    steps: [{targets: [], notify: []}]'))).toEqual([
      '3:14: escalation_policies[0].steps[0].targets: expected at least one target',
      '3:27: escalation_policies[0].steps[0].notify: expected at least one of slack, phone',
    ]);
    expect(problems(policy('    steps: [{targets: [{user: U01}], notify: [phone, phone]}]'))).toEqual([
      '3:54: escalation_policies[0].steps[0].notify[1]: phone is listed twice',
    ]);
    expect(problems(policy('    steps: [{targets: [{user: U01, schedule: s}], notify: [slack]}]'))).toEqual([
      '3:24: escalation_policies[0].steps[0].targets[0]: expected one of {schedule: <id>}, {user: <Slack user id>} or {responders: <group>}, got a map with user and schedule',
    ]);
    expect(problems(policy('    steps: [{targets: [{responders: ""}], notify: [slack]}]'))).toEqual([
      '3:25: escalation_policies[0].steps[0].targets[0].responders: expected a responders group id such as default, got ""',
    ]);
    expect(
      problems(
        `escalation_policies:\n  - {id: p, steps: [{targets: [{user: U01}], notify: [slack]}]}\n  - {id: p, steps: [{targets: [{user: U01}], notify: [slack]}]}`,
      ),
    ).toEqual(['3:6: escalation_policies[1].id: duplicate id "p" (also escalation_policies[0])']);
  });

  it('checks every policy reference against the defined policies and responders', () => {
    const text = `escalation_policies:
  - {id: payments, steps: [{targets: [{responders: default}], notify: [phone]}]}
routes:
  - {match: ['severity=critical'], policy: responders}
  - {policy: payments}
  - {policy: dba}
default_policy: payments
`;
    expect(problems(text)).toEqual([
      '6:6: routes[2].policy: unknown policy "dba" (policies: responders, payments)',
    ]);
    expect(valid(text.replace('  - {policy: dba}\n', '')).defaultPolicy).toBe('payments');
  });

  it('refuses what is not YAML, or not a map', () => {
    expect(problems('schedules: [1\nroutes: 2')).toEqual([
      '2:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problems('a: 1\na: 2')).toEqual(['2:1: not valid YAML: Map keys must be unique']);
    expect(problems('- schedules')).toEqual([
      '1:1: expected a map of schedules, escalation_policies, routes and default_policy, got a list',
    ]);
    expect(problems('schedules: 5')).toEqual(['1:1: schedules: expected a list, got 5']);
  });
});
