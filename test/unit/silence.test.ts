import { describe, expect, it } from 'vitest';
import { openIncident, type Incident } from '../../src/domain/incident.js';
import {
  compileSilence,
  endOf,
  fieldsOfIncident,
  fieldsOfSignal,
  heldBySilence,
  holdIncident,
  leavesSilenceSummary,
  releaseIncident,
  reheld,
  silencesFor,
  stateOf,
  withoutOwnMessage,
  type Silence,
} from '../../src/domain/silence.js';
import {
  checkMatchers,
  parseInstant,
  parseSilenceBody,
  silenceFromNow,
} from '../../src/domain/silence-input.js';
import { addTimelineEntry } from '../../src/domain/incident-records.js';
import {
  commandWords,
  parseIncidentSilence,
  parseMaintenanceCommand,
} from '../../src/listeners/commands/silence-args.js';
import { parseIncidentCommand } from '../../src/listeners/commands/args.js';

const T0 = Date.parse('2027-03-10T09:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function silence(overrides: Partial<Silence> = {}): Silence {
  return {
    id: 'sil-0000abcd',
    matchers: ['label:service="payments"'],
    startsAt: iso(T0),
    endsAt: iso(T0 + 2 * HOUR),
    comment: 'failover',
    createdBy: 'api',
    createdAt: iso(T0),
    ...overrides,
  };
}

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    ...openIncident({
      number: 7,
      fingerprint: 'orders-db',
      now: T0,
      signal: {
        action: 'trigger',
        title: 'Orders DB down',
        severity: 'critical',
        source: 'alertmanager',
        dedupKey: 'orders-db',
        details: { service: 'payments', replicas: 3, primary: true, nested: { a: 1 } },
        links: [],
      },
    }),
    ...overrides,
  };
}

describe('silence state and matching', () => {
  it('is pending before its start, active until its end (or its early expiry), expired after', () => {
    const s = silence({ startsAt: iso(T0 + HOUR) });
    expect(stateOf(s, T0)).toBe('pending');
    expect(stateOf(s, T0 + HOUR)).toBe('active');
    expect(stateOf(s, T0 + 2 * HOUR)).toBe('expired');
    const ended = silence({ expiredAt: iso(T0 + 30 * 60_000) });
    expect(endOf(ended)).toBe(T0 + 30 * 60_000);
    expect(stateOf(ended, T0 + 31 * 60_000)).toBe('expired');
  });

  it('matches when every matcher does; labels are the string, number and boolean details', () => {
    const fields = fieldsOfIncident(incident());
    expect(fields).toMatchObject({
      source: 'alertmanager',
      severity: 'critical',
      dedupKey: 'orders-db',
      labels: { service: 'payments', replicas: '3', primary: 'true' },
    });
    const compiled = (matchers: string[]) => [compileSilence(silence({ matchers }))];
    expect(silencesFor(compiled(['label:service=payments']), fields, T0)).toEqual(['sil-0000abcd']);
    expect(silencesFor(compiled(['label:service=payments', 'severity!=critical']), fields, T0)).toEqual([]);
    expect(silencesFor(compiled(['title=~"Orders.*"', 'label:replicas=3']), fields, T0)).toEqual([
      'sil-0000abcd',
    ]);
    expect(silencesFor(compiled(['label:team!~"pay.*"']), fields, T0)).toEqual(['sil-0000abcd']);
    expect(silencesFor(compiled(['label:service=payments']), fields, T0 + 3 * HOUR)).toEqual([]);
  });

  it('a fingerprint silence matches that fingerprint only; a hashed fingerprint is no dedup_key', () => {
    const byFingerprint = [compileSilence(silence({ matchers: [], fingerprint: 'orders-db' }))];
    expect(silencesFor(byFingerprint, fieldsOfIncident(incident()), T0)).toEqual(['sil-0000abcd']);
    const signal = { action: 'trigger' as const, title: 'Orders DB down', links: [] };
    expect(silencesFor(byFingerprint, fieldsOfSignal(signal, 'other'), T0)).toEqual([]);
    const hashed = fieldsOfIncident(incident({ fingerprint: 'a'.repeat(64) }));
    expect(hashed.dedupKey).toBeUndefined();
  });
});

describe('holding and releasing incidents', () => {
  it('holds once per silence, releases one silence at a time, and marks the summary that lists it', () => {
    const open = incident();
    const held = holdIncident(open, ['sil-a', 'sil-b']);
    expect(held).toMatchObject({ silencedBy: ['sil-a', 'sil-b'], version: open.version + 1 });
    expect(holdIncident(held!, ['sil-a'])).toBeUndefined();
    expect(heldBySilence(held!)).toBe(true);
    expect(withoutOwnMessage(held!)).toBe(true);
    const one = releaseIncident(held!, 'sil-a', false)!;
    expect(one.silencedBy).toEqual(['sil-b']);
    expect(releaseIncident(one, 'sil-a', true)).toBeUndefined();
    const free = releaseIncident(one, 'sil-b', true)!;
    expect(free.silencedBy).toBeUndefined();
    expect(free.silenceSummary).toBe('sil-b');
    expect(withoutOwnMessage(free)).toBe(true);
    // With a message of its own, it keeps showing there.
    expect(withoutOwnMessage({ ...held!, slack: { channel: 'C1', ts: '1.2' } })).toBe(false);
  });

  it('a reopen is held by the silences in force now only, and leaves the summary that listed it', () => {
    const old = { ...holdIncident(incident(), ['sil-a'])!, silenceSummary: 'sil-z' };
    expect(reheld(old, [])).not.toHaveProperty('silencedBy');
    expect(reheld(old, [])).not.toHaveProperty('silenceSummary');
    expect(reheld(old, ['sil-b']).silencedBy).toEqual(['sil-b']);
  });

  it('a person acting on an incident listed by a summary gives it its own message again; a signal does not', () => {
    const listed = releaseIncident(holdIncident(incident(), ['sil-a'])!, 'sil-a', true)!;
    const bySignal = addTimelineEntry(listed, { kind: 'folded', text: 'repeat', actor: 'system:x', now: T0 });
    expect(leavesSilenceSummary(listed, bySignal).silenceSummary).toBe('sil-a');
    const byPerson = addTimelineEntry(listed, { kind: 'note', text: 'looking', actor: 'U0ALICE01', now: T0 });
    expect(leavesSilenceSummary(listed, byPerson).silenceSummary).toBeUndefined();
  });
});

describe('validation (the 400s name the field)', () => {
  const body = (overrides: Record<string, unknown> = {}) => ({
    matchers: ['label:service="payments"'],
    starts_at: '2027-03-10T09:00:00Z',
    ends_at: '2027-03-10T11:00:00+02:00',
    comment: 'failover',
    ...overrides,
  });
  const field = (overrides: Record<string, unknown>) => {
    const r = parseSilenceBody(body(overrides), T0);
    return r.ok ? 'ok' : r.field;
  };

  it('accepts a valid body, defaulting the start to now', () => {
    const r = parseSilenceBody(body({ starts_at: undefined, ends_at: '2027-03-10T12:00:00Z' }), T0);
    expect(r).toEqual({
      ok: true,
      draft: {
        matchers: ['label:service="payments"'],
        startsAt: iso(T0),
        endsAt: '2027-03-10T12:00:00.000Z',
        comment: 'failover',
      },
    });
  });

  it('names the field of each mistake', () => {
    expect(field({ matchers: ['label:service~x'] })).toBe('matchers.0');
    expect(field({ matchers: ['source=a', 'nope=1'] })).toBe('matchers.1');
    expect(field({ matchers: [] })).toBe('matchers');
    expect(field({ matchers: 'source=a' })).toBe('matchers');
    expect(field({ matchers: ['label:x=~".*"', 'label:y=""'] })).toBe('matchers');
    expect(field({ ends_at: '2027-03-10T08:00:00Z' })).toBe('ends_at');
    expect(field({ starts_at: '2027-03-01T00:00:00Z', ends_at: '2027-03-10T08:59:00Z' })).toBe('ends_at');
    expect(field({ ends_at: '2027-04-10T09:00:01Z' })).toBe('ends_at');
    expect(field({ ends_at: '2027-04-09T09:00:00Z' })).toBe('ok');
    expect(field({ starts_at: 'now' })).toBe('starts_at');
    expect(field({ comment: '' })).toBe('comment');
    expect(field({ extra: 1 })).toBe('body');
    expect(parseSilenceBody([], T0)).toMatchObject({ ok: false, field: 'body' });
  });

  it('reads ISO 8601 instants with Z or an offset only', () => {
    expect(parseInstant('2027-03-10T10:00+01:00')).toBe(T0);
    expect(parseInstant('2027-03-10T09:00:00.123456Z')).toBe(T0 + 123);
    expect(parseInstant('2027-03-10T09:00:00')).toBeUndefined();
    expect(parseInstant('2027-02-30T09:00:00Z')).toBeUndefined();
  });

  it('checks matchers and the window of a silence made from Slack', () => {
    expect(checkMatchers(['source=batch'])).toEqual({ ok: true, matchers: ['source=batch'] });
    expect(
      silenceFromNow({ matchers: ['source=batch'], durationMs: 31 * 24 * HOUR, comment: '', now: T0 }),
    ).toMatchObject({ ok: false, field: 'ends_at' });
    expect(
      silenceFromNow({
        fingerprint: 'fp',
        incidentId: 'INC-7',
        durationMs: 2 * HOUR,
        comment: ' x ',
        now: T0,
      }),
    ).toEqual({
      ok: true,
      draft: {
        matchers: [],
        fingerprint: 'fp',
        incidentId: 'INC-7',
        startsAt: iso(T0),
        endsAt: iso(T0 + 2 * HOUR),
        comment: 'x',
      },
    });
  });
});

describe('command parsing', () => {
  it('/incident silence [ID] <duration> [comment]', () => {
    expect(parseIncidentCommand('silence INC-7 2h deploying the fix')).toEqual({
      kind: 'silence',
      id: 'INC-7',
      durationMs: 2 * HOUR,
      comment: 'deploying the fix',
    });
    expect(parseIncidentCommand('silence 30m')).toEqual({ kind: 'silence', durationMs: 30 * 60_000 });
    expect(parseIncidentCommand('silence INC-7')).toMatchObject({ kind: 'error' });
    expect(parseIncidentSilence(['7', 'soon'])).toMatchObject({
      kind: 'error',
      problem: expect.stringContaining('`soon`'),
    });
  });

  it('/maintenance start <duration> <matchers…> [comment], list, end <id>', () => {
    expect(parseMaintenanceCommand('start 2h label:service=payments checkout DB upgrade')).toEqual({
      kind: 'start',
      durationMs: 2 * HOUR,
      matchers: ['label:service=payments'],
      comment: 'checkout DB upgrade',
    });
    expect(parseMaintenanceCommand('start 1d source=batch title=~“disk .*” nightly')).toEqual({
      kind: 'start',
      durationMs: 24 * HOUR,
      matchers: ['source=batch', 'title=~"disk .*"'],
      comment: 'nightly',
    });
    expect(parseMaintenanceCommand('start 2h label:x~y')).toMatchObject({ kind: 'error' });
    expect(parseMaintenanceCommand('start 2h just words')).toMatchObject({ kind: 'error' });
    expect(parseMaintenanceCommand('start later source=a')).toMatchObject({ kind: 'error' });
    expect(parseMaintenanceCommand('')).toEqual({ kind: 'list' });
    expect(parseMaintenanceCommand('list')).toEqual({ kind: 'list' });
    expect(parseMaintenanceCommand('end SIL-0000ABCD')).toEqual({ kind: 'end', id: 'sil-0000abcd' });
    expect(parseMaintenanceCommand('end 42')).toMatchObject({ kind: 'error' });
    expect(parseMaintenanceCommand('help')).toEqual({ kind: 'help' });
    expect(parseMaintenanceCommand('pause')).toMatchObject({ kind: 'error' });
    expect(commandWords('a "b c" d="e f"')).toEqual(['a', '"b c"', 'd="e f"']);
    expect(commandWords('title=~"a&amp;b|c&gt;d"')).toEqual(['title=~"a&b|c>d"']);
  });
});
