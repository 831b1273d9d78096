/**
 * The iCalendar feed (issue 18): its per-schedule token (HMAC of the schedule id under the secret, checked in
 * constant time), and the calendar text ical-generator makes of the shifts (RFC 5545 escaping, stable UIDs).
 * And the packaged ONCALL_CONFIG: the JSON a Lambda zip carries validates to the same configuration as its YAML.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseOncallConfigJson } from '../../src/config/oncall/json.js';
import { loadOncallConfig } from '../../src/config/oncall/load.js';
import { formatProblem } from '../../src/config/oncall/validate.js';
import { scheduleCalendar } from '../../src/domain/schedules/ical.js';
import { createScheduleFeeds } from '../../src/services/schedule-feeds.js';
import { ms, scheduleOf } from '../helpers/schedules.js';

describe('feed tokens', () => {
  const feeds = createScheduleFeeds({ secret: 'the-secret', publicUrl: 'https://hikeshi.example.com/' });

  it('are per schedule, unguessable without the secret, and verified', () => {
    const url = new URL(feeds.url('payments-primary')!);
    expect(url.origin + url.pathname).toBe('https://hikeshi.example.com/api/schedules/payments-primary.ics');
    const token = url.searchParams.get('token')!;
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(feeds.verify('payments-primary', token)).toBe(true);
    expect(feeds.verify('database', token)).toBe(false);
    expect(feeds.verify('payments-primary', token.slice(0, -1))).toBe(false);
    expect(feeds.verify('payments-primary', undefined)).toBe(false);
    const other = createScheduleFeeds({ secret: 'another-secret', publicUrl: 'https://hikeshi.example.com' });
    expect(other.verify('payments-primary', token)).toBe(false);
  });

  it('are off without a secret', () => {
    const off = createScheduleFeeds({ secret: undefined, publicUrl: 'https://x' });
    expect(off.enabled).toBe(false);
    expect(off.url('payments-primary')).toBeUndefined();
    expect(off.verify('payments-primary', '')).toBe(false);
  });
});

describe('the calendar', () => {
  it('has one event per shift, in UTC, escaped and stable', () => {
    const schedule = { ...scheduleOf('Europe/Berlin'), id: 'payments-primary' };
    const text = scheduleCalendar({
      schedule,
      shifts: [
        { user: 'U0ALICE01', from: ms('2026-01-05T08:00:00Z'), until: ms('2026-01-12T08:00:00Z') },
        { user: 'U0BOB0001', from: ms('2026-01-12T08:00:00Z'), until: ms('2026-01-19T08:00:00Z') },
      ],
      now: ms('2026-01-07T12:00:00Z'),
      nameOf: (user) => (user === 'U0ALICE01' ? 'Alice; on call, again' : user),
    });
    expect(text.split('\r\n')).toMatchSnapshot();
  });
});

describe('the packaged ONCALL_CONFIG (JSON)', () => {
  it('validates to the same configuration as the YAML it was made of', async () => {
    const yaml = await loadOncallConfig('examples/oncall.yaml');
    const json = parseOncallConfigJson(
      JSON.stringify(parse(await readFile('examples/oncall.yaml', 'utf8'))),
      'oncall.json',
    );
    expect(yaml.ok && json.ok).toBe(true);
    if (yaml.ok && json.ok) expect(JSON.stringify(json.config)).toBe(JSON.stringify(yaml.config));
  });

  it('names problems by path (JSON has no lines), and bad JSON', () => {
    const bad = parseOncallConfigJson(
      '{"schedules":[{"id":"x","time_zone":"UTC","layers":[]}]}',
      'oncall.json',
    );
    expect(bad.ok ? [] : bad.problems.map(formatProblem)).toEqual([
      'oncall.json: schedules[0].layers: expected at least one layer',
    ]);
    const broken = parseOncallConfigJson('{"schedules":', 'oncall.json');
    expect(broken.ok ? '' : formatProblem(broken.problems[0]!)).toMatch(/^oncall\.json: not valid JSON: /);
    expect(parseOncallConfigJson('', 'oncall.json').ok).toBe(true);
  });
});
