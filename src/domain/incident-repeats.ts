/**
 * A new firing on an open incident: a fold (count, last seen, severity raised, never lowered) or, for a firing
 * already counted, a re-notification that changes nothing. Pure, like the rest of the incident's transitions
 * (incident.ts); reopen.ts uses `applyRepeat` for a firing on a resolved incident.
 */
import { firingsOf, repeatSeverity, type AlertSignal } from './alert.js';
import { mergeLinks, systemActor, type Incident } from './incident.js';
import { storableFields } from './storable.js';
import { appendEntry, iso, timelineEntry as entry } from './timeline.js';

export type FoldResult =
  { ok: true; incident: Incident; escalated: boolean } | { ok: false; reason: 'resolved' | 'renotified' };

/** The signal repeats a firing the incident has already counted (an Alertmanager re-notification). */
export function isRenotification(
  incident: Pick<Incident, 'firingId'>,
  signal: Pick<AlertSignal, 'firingId'>,
): boolean {
  return signal.firingId !== undefined && signal.firingId === incident.firingId;
}

/**
 * A repeat of the incident's alert: count + its firings (1 unless the sender folded repeats), last seen moves to
 * `now`, message/details/links refreshed from the repeat when it carries them, severity raised to the signal's when
 * worse (never lowered, kept when the signal does not say: `repeatSeverity`). The title stays the first one. A
 * raise ends a snooze.
 *
 * Routine repeats add no timeline entry — count and last seen already say it, and fifty identical alerts must not
 * mean fifty thread replies. Only an escalation of severity is recorded (kind `folded`).
 * A resolved incident does not fold (the caller reopens it or opens a new one), and a re-notification of the
 * firing already counted changes nothing.
 */
export function foldSignal(incident: Incident, signal: AlertSignal, now: number): FoldResult {
  if (isRenotification(incident, signal)) return { ok: false, reason: 'renotified' };
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  const at = iso(now);
  const count = incident.count + firingsOf(signal);
  const repeat = applyRepeat(incident, signal, at);
  const escalated = repeat.severity !== incident.severity;
  const snoozed = escalated && incident.snoozedUntil !== undefined ? '; snooze ended' : '';
  const next: Incident = {
    ...repeat,
    count,
    timeline: escalated
      ? appendEntry(
          incident.timeline,
          entry(
            at,
            'folded',
            `Severity raised ${incident.severity} → ${repeat.severity} by a repeat alert (count ${count})${snoozed}`,
            systemActor(signal),
          ),
        )
      : incident.timeline,
    version: incident.version + 1,
  };
  return { ok: true, incident: next, escalated };
}

/**
 * What any new firing does to the incident it lands on (a fold or a reopen): last seen, message, details, links
 * and the firing id refreshed, severity by `repeatSeverity`, and a raise ends a snooze. Count, status, timeline
 * and version are the caller's.
 */
export function applyRepeat(incident: Incident, signal: AlertSignal, at: string): Incident {
  const severity = repeatSeverity(incident.severity, signal);
  const stored = storableFields(signal);
  const { snoozedUntil: _until, snoozedBy: _by, ...unsnoozed } = incident;
  return {
    ...(severity !== incident.severity ? unsnoozed : incident),
    severity,
    lastSeenAt: later(incident.lastSeenAt, at),
    ...(stored.message !== undefined ? { message: stored.message } : {}),
    ...(stored.details !== undefined ? { details: stored.details } : {}),
    ...(signal.firingId !== undefined ? { firingId: signal.firingId } : {}),
    links: mergeLinks(incident.links, stored.links),
  };
}

function later(a: string, b: string): string {
  return b > a ? b : a;
}
