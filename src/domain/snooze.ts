/**
 * What a responder changes by hand besides the status: a snooze (phone escalation paused until a time; a new
 * firing of higher severity ends it, see `applyRepeat` in incident.ts) and the severity. Pure transitions, like
 * the rest of incident.ts.
 */
import { SEVERITIES, type Severity } from './alert.js';
import { formatDuration } from './duration.js';
import type { Incident } from './incident.js';
import { appendEntry, iso, timelineEntry } from './timeline.js';

/** The longest snooze: escalation is for now, not for next week. */
export const SNOOZE_MAX_MS = 7 * 86_400_000;

export type SnoozeResult =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'resolved' }
  | { ok: false; reason: 'too_long'; maxMs: number };

export type UnsnoozeResult = { ok: true; incident: Incident } | { ok: false; reason: 'not_snoozed' };

export type SeverityResult =
  | { ok: true; incident: Incident; from: Severity }
  | { ok: false; reason: 'resolved' }
  | { ok: false; reason: 'unchanged'; severity: Severity };

/** Whether escalation is paused at `now`. */
export function isSnoozed(incident: Pick<Incident, 'snoozedUntil'>, now: number): boolean {
  return incident.snoozedUntil !== undefined && Date.parse(incident.snoozedUntil) > now;
}

/** Pauses escalation for `durationMs` from `now` (a later snooze replaces an earlier one). */
export function snooze(
  incident: Incident,
  input: { by: string; now: number; durationMs: number },
): SnoozeResult {
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  if (input.durationMs > SNOOZE_MAX_MS) return { ok: false, reason: 'too_long', maxMs: SNOOZE_MAX_MS };
  const at = iso(input.now);
  const text = `Snoozed phone escalation for ${formatDuration(input.durationMs)}`;
  return {
    ok: true,
    incident: {
      ...incident,
      snoozedUntil: iso(input.now + input.durationMs),
      snoozedBy: input.by,
      timeline: appendEntry(incident.timeline, timelineEntry(at, 'snoozed', text, input.by)),
      version: incident.version + 1,
    },
  };
}

/** Ends a snooze now. */
export function unsnooze(incident: Incident, input: { by: string; now: number }): UnsnoozeResult {
  if (!isSnoozed(incident, input.now)) return { ok: false, reason: 'not_snoozed' };
  const { snoozedUntil: _until, snoozedBy: _by, ...rest } = incident;
  return {
    ok: true,
    incident: {
      ...rest,
      timeline: appendEntry(
        incident.timeline,
        timelineEntry(iso(input.now), 'snoozed', 'Ended the snooze', input.by),
      ),
      version: incident.version + 1,
    },
  };
}

/** Sets the severity by hand, up or down (a repeat only ever raises it). */
export function changeSeverity(
  incident: Incident,
  severity: Severity,
  input: { by: string; now: number },
): SeverityResult {
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  if (incident.severity === severity) return { ok: false, reason: 'unchanged', severity };
  const text = `Severity changed ${incident.severity} → ${severity}`;
  return {
    ok: true,
    from: incident.severity,
    incident: {
      ...incident,
      severity,
      timeline: appendEntry(incident.timeline, timelineEntry(iso(input.now), 'severity', text, input.by)),
      version: incident.version + 1,
    },
  };
}

/** `critical`, `crit`, `error`, `warn`… → Severity; undefined for anything else. */
export function parseSeverity(text: string): Severity | undefined {
  const word = text.trim().toLowerCase();
  const aliases: Record<string, Severity> = { crit: 'critical', err: 'error', warn: 'warning' };
  return aliases[word] ?? SEVERITIES.find((s) => s === word);
}
