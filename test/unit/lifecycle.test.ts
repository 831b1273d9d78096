/**
 * Issue 20, the pure rules: severity defaults only when an incident opens, a firing counted once, reopen within the
 * window (flapping at three reopens in an hour), replacement after it, snooze and severity by hand.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY, fingerprintOf, repeatSeverity, type AlertSignal } from '../../src/domain/alert.js';
import { formatDuration, parseDuration } from '../../src/domain/duration.js';
import { isPlainRepeat } from '../../src/domain/fold.js';
import { openIncident, resolve, type Incident } from '../../src/domain/incident.js';
import { foldSignal } from '../../src/domain/incident-repeats.js';
import {
  escalationEpisode,
  FLAP_REOPENS,
  previousOf,
  reopenDecision,
  reopenIncident,
  REOPENS_KEPT,
  supersede,
} from '../../src/domain/reopen.js';
import {
  changeSeverity,
  isSnoozed,
  parseSeverity,
  snooze,
  SNOOZE_MAX_MS,
  unsnooze,
} from '../../src/domain/snooze.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;
const WINDOW = 60 * MIN;

const signal = (overrides: Partial<AlertSignal> = {}): AlertSignal => ({
  action: 'trigger',
  title: 'Queue depth high',
  source: 'grafana',
  links: [],
  ...overrides,
});

function opened(overrides: Partial<AlertSignal> = {}): Incident {
  const s = signal(overrides);
  return openIncident({ number: 4, signal: s, fingerprint: fingerprintOf(s), now: T0 });
}

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

const resolvedAt = (incident: Incident, at: number) =>
  ok(resolve(incident, { by: 'U0ALICE01', now: at })).incident;

describe('severity: a default only when the incident opens', () => {
  it('opens without a severity as the default, and a repeat without one keeps what the incident has', () => {
    expect(opened().severity).toBe(DEFAULT_SEVERITY);
    const warning = opened({ severity: 'warning' });
    const folded = ok(foldSignal(warning, signal(), T0 + MIN));
    expect(folded.incident.severity).toBe('warning');
    expect(folded.escalated).toBe(false);
    expect(isPlainRepeat(warning, signal())).toBe(true);
    expect(repeatSeverity('info', {})).toBe('info');
    expect(repeatSeverity('info', { severity: 'critical' })).toBe('critical');
    expect(repeatSeverity('critical', { severity: 'info' })).toBe('critical');
  });

  it('a raise by a new firing ends a snooze', () => {
    const snoozed = ok(snooze(opened({ severity: 'warning' }), { by: 'U1', now: T0, durationMs: 30 * MIN }));
    const raised = ok(foldSignal(snoozed.incident, signal({ severity: 'critical' }), T0 + MIN));
    expect(raised.incident.snoozedUntil).toBeUndefined();
    expect(raised.incident.timeline.at(-1)?.text).toContain('snooze ended');
    const same = ok(foldSignal(snoozed.incident, signal({ severity: 'warning' }), T0 + MIN));
    expect(same.incident.snoozedUntil).toBe(snoozed.incident.snoozedUntil);
  });
});

describe('a firing counted once', () => {
  it('does not fold a re-notification of the firing already counted; a new firing counts and is remembered', () => {
    const first = opened({ firingId: 'start-1' });
    expect(first.firingId).toBe('start-1');
    expect(foldSignal(first, signal({ firingId: 'start-1' }), T0 + MIN)).toEqual({
      ok: false,
      reason: 'renotified',
    });
    const next = ok(foldSignal(first, signal({ firingId: 'start-2' }), T0 + MIN)).incident;
    expect(next).toMatchObject({ count: 2, firingId: 'start-2' });
    // A signal naming its firing is never a plain (buffered) repeat: the firing is decided on the version.
    expect(isPlainRepeat(first, signal({ firingId: 'start-2' }))).toBe(false);
    // The same firing does not reopen a resolved incident either.
    const closed = resolvedAt(next, T0 + 2 * MIN);
    expect(
      reopenDecision(closed, signal({ firingId: 'start-2' }), { now: T0 + 3 * MIN, windowMs: WINDOW }),
    ).toBe('renotified');
  });
});

describe('reopen, not duplicate', () => {
  it('reopens within the window: triggered again, same number, counted, a reopened entry, ack cleared', () => {
    const closed = resolvedAt(opened(), T0 + 10 * MIN);
    const r = ok(
      reopenIncident(closed, signal({ message: 'again' }), { now: T0 + 40 * MIN, windowMs: WINDOW }),
    );
    expect(r.incident).toMatchObject({
      id: 'INC-4',
      status: 'triggered',
      count: 2,
      reopenCount: 1,
      flapping: false,
      message: 'again',
      version: closed.version + 1,
    });
    expect(r.incident.resolvedAt).toBeUndefined();
    expect(r.incident.resolvedBy).toBeUndefined();
    const entry = r.incident.timeline.at(-1);
    expect(entry).toMatchObject({ kind: 'reopened', actor: 'system:grafana' });
    expect(entry?.text).toBe('Fired again, 30m after it was resolved (reopen 1)');
    expect(escalationEpisode(r.incident)).toEqual({ startedAt: T0 + 40 * MIN, mayStartChain: true });
  });

  it('does not reopen after the window, nor when open, replaced, or with a zero window', () => {
    const closed = resolvedAt(opened(), T0);
    expect(reopenDecision(closed, signal(), { now: T0 + WINDOW, windowMs: WINDOW })).toBe('reopen');
    expect(reopenDecision(closed, signal(), { now: T0 + WINDOW + 1, windowMs: WINDOW })).toBe('too_late');
    expect(reopenDecision(closed, signal(), { now: T0 + 1, windowMs: 0 })).toBe('too_late');
    expect(reopenDecision(closed, signal(), { now: T0, windowMs: 0 })).toBe('too_late');
    expect(reopenDecision(opened(), signal(), { now: T0, windowMs: WINDOW })).toBe('open');
    const replaced = supersede(closed, 'INC-9');
    expect(replaced).toMatchObject({ supersededBy: 'INC-9', version: closed.version + 1 });
    expect(reopenDecision(replaced!, signal(), { now: T0 + 1, windowMs: WINDOW })).toBe('superseded');
    expect(supersede(replaced!, 'INC-10')).toBeUndefined();
    expect(supersede(opened(), 'INC-10')).toBeUndefined();
    expect(previousOf(closed)).toEqual({ id: 'INC-4', resolvedAt: new Date(T0).toISOString() });
  });

  it(`is flapping at ${FLAP_REOPENS} reopens within an hour, and its reopen may start no phone chain`, () => {
    let incident = opened();
    const at = [5, 15, 25].map((m) => T0 + m * MIN);
    for (const [i, now] of at.entries()) {
      incident = ok(
        reopenIncident(resolvedAt(incident, now - MIN), signal(), { now, windowMs: WINDOW }),
      ).incident;
      expect(incident.flapping, `reopen ${i + 1}`).toBe(i + 1 >= FLAP_REOPENS);
    }
    expect(incident.timeline.at(-1)?.text).toContain('flapping: 3 reopens in the last hour');
    expect(escalationEpisode(incident)).toEqual({ startedAt: T0 + 25 * MIN, mayStartChain: false });
    // Two hours later the earlier reopens are out of the hour: no longer flapping.
    const later = T0 + 3 * 60 * MIN;
    const calm = ok(
      reopenIncident(resolvedAt(incident, later - MIN), signal(), { now: later, windowMs: WINDOW }),
    );
    expect(calm.incident).toMatchObject({ flapping: false, reopenCount: 4 });
    expect(escalationEpisode(calm.incident).mayStartChain).toBe(true);
  });

  it(`keeps the last ${REOPENS_KEPT} reopen times`, () => {
    let incident = opened();
    for (let i = 1; i <= REOPENS_KEPT + 5; i += 1) {
      const now = T0 + i * 2 * 60 * MIN;
      incident = ok(
        reopenIncident(resolvedAt(incident, now - MIN), signal(), { now, windowMs: WINDOW }),
      ).incident;
    }
    expect(incident.reopenedAt).toHaveLength(REOPENS_KEPT);
    expect(incident.reopenCount).toBe(REOPENS_KEPT + 5);
  });

  it('a new incident after the window names the previous one', () => {
    const s = signal();
    const previous = { id: 'INC-4', resolvedAt: new Date(T0 - 3 * 60 * MIN).toISOString() };
    const next = openIncident({ number: 9, signal: s, fingerprint: fingerprintOf(s), now: T0, previous });
    expect(next.previous).toEqual(previous);
    expect(next.timeline[0]?.text).toBe('Opened from grafana (error); previously INC-4, resolved 3h before');
  });
});

describe('snooze and severity by hand', () => {
  it('snoozes until a time, refuses resolved incidents and snoozes over a week, and ends', () => {
    const r = ok(snooze(opened(), { by: 'U0ALICE01', now: T0, durationMs: 30 * MIN }));
    expect(r.incident).toMatchObject({ snoozedUntil: '2026-01-01T12:30:00.000Z', snoozedBy: 'U0ALICE01' });
    expect(r.incident.timeline.at(-1)).toMatchObject({
      kind: 'snoozed',
      text: 'Snoozed phone escalation for 30m',
    });
    expect(isSnoozed(r.incident, T0 + 29 * MIN)).toBe(true);
    expect(isSnoozed(r.incident, T0 + 30 * MIN)).toBe(false);
    expect(snooze(resolvedAt(opened(), T0), { by: 'U1', now: T0, durationMs: MIN })).toEqual({
      ok: false,
      reason: 'resolved',
    });
    expect(snooze(opened(), { by: 'U1', now: T0, durationMs: SNOOZE_MAX_MS + 1 })).toMatchObject({
      reason: 'too_long',
    });
    const ended = ok(unsnooze(r.incident, { by: 'U0BOB0001', now: T0 + MIN }));
    expect(ended.incident.snoozedUntil).toBeUndefined();
    expect(unsnooze(ended.incident, { by: 'U1', now: T0 + MIN })).toEqual({
      ok: false,
      reason: 'not_snoozed',
    });
  });

  it('changes the severity up or down, with a timeline entry', () => {
    const down = ok(changeSeverity(opened({ severity: 'critical' }), 'warning', { by: 'U1', now: T0 }));
    expect(down).toMatchObject({ from: 'critical', incident: { severity: 'warning' } });
    expect(down.incident.timeline.at(-1)).toMatchObject({
      kind: 'severity',
      text: 'Severity changed critical → warning',
    });
    expect(changeSeverity(down.incident, 'warning', { by: 'U1', now: T0 })).toMatchObject({
      reason: 'unchanged',
    });
    expect(changeSeverity(resolvedAt(opened(), T0), 'info', { by: 'U1', now: T0 })).toEqual({
      ok: false,
      reason: 'resolved',
    });
    expect(['crit', 'ERROR', 'warn', 'info', 'fatal'].map(parseSeverity)).toEqual([
      'critical',
      'error',
      'warning',
      'info',
      undefined,
    ]);
  });

  it('reads durations as people type them', () => {
    expect(['30m', '2h', '1d', '90min', '3 hours', '0m', '1w', '', 'soon'].map(parseDuration)).toEqual([
      30 * MIN,
      120 * MIN,
      1440 * MIN,
      90 * MIN,
      180 * MIN,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(formatDuration(90 * MIN)).toBe('1h 30m');
  });
});
