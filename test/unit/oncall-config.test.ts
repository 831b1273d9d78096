import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOncallConfig } from '../../src/config/oncall/load.js';
import { EMPTY_ONCALL_CONFIG } from '../../src/domain/oncall-config.js';
import { chooseRoute } from '../../src/domain/route-matchers.js';
import { whoIsOnCall } from '../../src/domain/schedules/on-call.js';
import { LAYER, schedule, valid } from '../helpers/oncall-config.js';

describe('examples/oncall.yaml', () => {
  it('validates, with every field read', async () => {
    const result = await loadOncallConfig('examples/oncall.yaml');
    if (!result.ok) throw new Error(result.error.message);
    const config = result.config;
    expect(config.schedules).toHaveLength(1);
    const [payments] = config.schedules;
    expect(payments).toMatchObject({
      id: 'payments-primary',
      timeZone: 'Europe/Berlin',
      channel: 'C0PAYMENTS',
      slackUsergroup: 'S0PAYONCALL',
    });
    expect(payments?.layers[1]).toEqual({
      rotation: { kind: 'weekly', handoffDay: 'mon' },
      handoff: 9 * 60,
      start: '2026-11-02',
      users: ['U01ALICE', 'U02BOB', 'U03CAROL'],
      restrict: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: 9 * 60, to: 18 * 60 },
    });
    expect(payments?.layers[0]?.rotation).toEqual({ kind: 'hours', hours: 12 });
    expect(config.escalationPolicies).toEqual([
      {
        id: 'payments',
        repeat: 2,
        steps: [
          {
            targets: [{ kind: 'schedule', schedule: 'payments-primary' }],
            notify: ['slack'],
            waitMinutes: 5,
          },
          {
            targets: [{ kind: 'schedule', schedule: 'payments-primary' }],
            notify: ['slack', 'phone'],
            waitMinutes: 10,
          },
          {
            targets: [
              { kind: 'user', user: 'U09MANAGER' },
              { kind: 'responders', group: 'default' },
            ],
            notify: ['phone'],
            waitMinutes: 5,
          },
        ],
      },
    ]);
    expect(config.routes).toHaveLength(1);
    expect(config.routes[0]?.matchers.map((m) => m.text)).toEqual([
      'source="alertmanager"',
      'label:team="payments"',
    ]);
    expect(config.routes[0]).toMatchObject({ policy: 'payments', channel: 'C0PAYMENTS' });
    expect(config.defaultPolicy).toBe('responders');
  });

  it('routes and resolves as its comments say', async () => {
    const result = await loadOncallConfig('examples/oncall.yaml');
    if (!result.ok) throw new Error(result.error.message);
    const { config } = result;
    const payments = {
      source: 'alertmanager',
      severity: 'critical',
      title: 'Ledger lag',
      labels: { team: 'payments' },
    };
    expect(chooseRoute(config, payments)).toEqual({ policy: 'payments', channel: 'C0PAYMENTS', route: 0 });
    expect(chooseRoute(config, { ...payments, labels: { team: 'dba' } })).toEqual({ policy: 'responders' });
    const schedule = config.schedules[0];
    if (schedule === undefined) throw new Error('no schedule');
    // Monday 2 November 2026 in Berlin: office hours are the weekly layer's, the rest the 12-hour base layer's.
    const at = (iso: string) => whoIsOnCall(schedule, [], Date.parse(iso));
    expect(at('2026-11-02T08:59+01:00')).toEqual([]);
    expect(at('2026-11-02T09:00+01:00')).toEqual(['U01ALICE']);
    expect(at('2026-11-02T18:00+01:00')).toEqual(['U04DAVE']);
    expect(at('2026-11-02T21:00+01:00')).toEqual(['U05ERIN']);
    expect(at('2026-11-07T12:00+01:00')).toEqual(['U04DAVE']);
    expect(at('2026-11-09T12:00+01:00')).toEqual(['U02BOB']);
  });

  it('is frozen all the way down', async () => {
    const result = await loadOncallConfig('examples/oncall.yaml');
    if (!result.ok) throw new Error(result.error.message);
    expect(Object.isFrozen(result.config)).toBe(true);
    expect(Object.isFrozen(result.config.schedules[0]?.layers[0]?.users)).toBe(true);
    expect(Object.isFrozen(result.config.routes[0]?.matchers[0])).toBe(true);
    expect(() => (result.config.schedules as unknown[]).push(1)).toThrow(TypeError);
  });
});

describe('parseOncallConfig', () => {
  it('reads an empty file, or one with only comments, as no config', () => {
    expect(valid('')).toEqual(EMPTY_ONCALL_CONFIG);
    expect(valid('# nothing yet\n')).toEqual(EMPTY_ONCALL_CONFIG);
    expect(valid('schedules: []')).toEqual(EMPTY_ONCALL_CONFIG);
  });

  it('fills in defaults: handoff day from start, repeat 0, wait 5, match everything, responders', () => {
    const config =
      valid(`${schedule('rotation: weekly\nhandoff: "09:00"\nstart: "2026-11-04"\nusers: [U01ALICE]')}
escalation_policies:
  - id: p
    steps: [{targets: [{schedule: s1}], notify: [slack]}]
routes:
  - policy: p
`);
    expect(config.schedules[0]?.layers[0]?.rotation).toEqual({ kind: 'weekly', handoffDay: 'wed' });
    expect(config.escalationPolicies[0]).toMatchObject({ repeat: 0, steps: [{ waitMinutes: 5 }] });
    expect(config.routes).toEqual([{ matchers: [], policy: 'p' }]);
    expect(config.defaultPolicy).toBe('responders');
  });

  it('reads unquoted times and dates as text (YAML 1.2), day names in any case, restrict defaults', () => {
    const config = valid(
      schedule(`rotation: weekly
handoff: 09:00
handoff_day: Friday
start: 2026-11-02
users: [U01ALICE, U02BOB, U01ALICE]
restrict: {from: "18:00", to: "09:00"}`),
    );
    expect(config.schedules[0]?.layers[0]).toEqual({
      rotation: { kind: 'weekly', handoffDay: 'fri' },
      handoff: 540,
      start: '2026-11-02',
      users: ['U01ALICE', 'U02BOB', 'U01ALICE'],
      restrict: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: 1080, to: 540 },
    });
    expect(
      valid(schedule(`${LAYER}\nrestrict: {days: [sat, sun]}`)).schedules[0]?.layers[0]?.restrict,
    ).toEqual({
      days: ['sat', 'sun'],
      from: 0,
      to: 0,
    });
  });

  it('accepts channel names as well as ids, and every IANA zone spelled as the runtime spells it', () => {
    for (const zone of ['America/New_York', 'Asia/Tokyo', 'UTC', 'Etc/GMT+5', 'Asia/Calcutta']) {
      expect(valid(schedule(LAYER).replace('Europe/Berlin', zone)).schedules[0]?.timeZone).toBe(zone);
    }
    expect(valid(schedule(LAYER, '\n    channel: payments-oncall')).schedules[0]?.channel).toBe(
      'payments-oncall',
    );
  });
});

describe('loadOncallConfig', () => {
  it('reads the file it is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oncall-'));
    const file = join(dir, 'oncall.yaml');
    writeFileSync(file, schedule(LAYER));
    const result = await loadOncallConfig(file);
    expect(result.ok && result.config.schedules[0]?.id).toBe('s1');
  });

  it('says so when the file cannot be read', async () => {
    const result = await loadOncallConfig('/nonexistent/oncall.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe(
      'Invalid ONCALL_CONFIG /nonexistent/oncall.yaml:\n  - /nonexistent/oncall.yaml: cannot read the file (ENOENT)',
    );
  });
});
