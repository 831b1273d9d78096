/**
 * What people (and the phone, jobs and integrations) do to an incident by id: acknowledge, resolve, watch,
 * snooze, change its severity, add notes and reports. Each is a pure transition from src/domain applied through
 * `changes.transition`, so two people acting at once produce one winner and a clear answer for the other.
 */
import type { Severity } from '../domain/alert.js';
import type { Clock } from '../domain/clock.js';
import type { Incident } from '../domain/incident.js';
import {
  acknowledge as acknowledgeIncident,
  addTimelineEntry,
  attachReport,
  resolve as resolveIncident,
  toggleWatcher,
  type AcknowledgeResult,
  type ResolveResult,
  type ToggleWatcherResult,
} from '../domain/incident.js';
import {
  changeSeverity,
  snooze as snoozeIncident,
  unsnooze as unsnoozeIncident,
  type SeverityResult,
  type SnoozeResult,
  type UnsnoozeResult,
} from '../domain/snooze.js';
import { changePolicy, type PolicyResult } from '../domain/incident-policy.js';
import type { IncidentChanges } from './incident-changes.js';
import type { IncidentService } from './incidents.js';

export type IncidentActions = Pick<
  IncidentService,
  | 'acknowledge'
  | 'resolve'
  | 'toggleWatch'
  | 'snooze'
  | 'unsnooze'
  | 'setSeverity'
  | 'setPolicy'
  | 'note'
  | 'recordReport'
>;

export function createIncidentActions(deps: {
  changes: IncidentChanges;
  clock: Clock;
  /** Writes the repeats buffered for the incident and stops buffering them (before a resolve). */
  retire(incidentId: string): Promise<void>;
}): IncidentActions {
  const { changes, clock } = deps;

  /**
   * Applies a domain change that either gives the next incident or says why not (snooze, severity): the refusal
   * is answered with the incident as it is, a change is published and announced as `changed`.
   */
  async function change<R extends { ok: true; incident: Incident } | { ok: false; reason: string }>(
    id: string,
    apply: (current: Incident) => R,
  ): Promise<
    | { ok: true; incident: Incident }
    | { ok: false; reason: 'not_found' }
    | (Exclude<R, { ok: true }> & { incident: Incident })
  > {
    const done = await changes.transition<R>(id, (current) => {
      const r = apply(current);
      return r.ok ? { next: r.incident, result: r } : { result: r };
    });
    if (!done) return { ok: false, reason: 'not_found' };
    const r = done.result;
    if (!r.ok) return { ...(r as Exclude<R, { ok: true }>), incident: done.before };
    if (!done.after) return { ok: true, incident: done.before };
    changes.publish(done.before, done.after);
    changes.emit({ type: 'changed', incident: done.after });
    return { ok: true, incident: done.after };
  }

  return {
    async acknowledge(id, by) {
      const done = await changes.transition<AcknowledgeResult>(id, (current) => {
        const r = acknowledgeIncident(current, { by, now: clock.now() });
        return r.ok ? { next: r.incident, result: r } : { result: r };
      });
      if (!done) return { ok: false, reason: 'not_found' };
      const r = done.result;
      if (r.ok && done.after) {
        changes.publish(done.before, done.after);
        changes.emit({ type: 'acknowledged', incident: done.after });
        return { ok: true, incident: done.after };
      }
      if (!r.ok && r.reason === 'already_acknowledged') return { ...r, incident: done.before };
      return { ok: false, reason: 'resolved', incident: done.before };
    },

    async resolve(id, by, note) {
      // Repeats counted before the resolve belong to this incident: write them first, and stop buffering.
      await deps.retire(id);
      const done = await changes.transition<ResolveResult>(id, (current) => {
        const r = resolveIncident(current, { by, now: clock.now(), ...(note === undefined ? {} : { note }) });
        return r.ok ? { next: r.incident, result: r } : { result: r };
      });
      if (!done) return { ok: false, reason: 'not_found' };
      const r = done.result;
      if (!r.ok || !done.after) {
        return { ok: false, reason: 'already_resolved', by: r.ok ? by : r.by, incident: done.before };
      }
      // The fingerprint keeps pointing here: the next alert reopens this incident within the reopen window.
      changes.publish(done.before, done.after);
      changes.emit({ type: 'resolved', incident: done.after });
      return { ok: true, incident: done.after };
    },

    async toggleWatch(id, userId) {
      const done = await changes.transition<ToggleWatcherResult>(id, (current) => {
        const r = toggleWatcher(current, userId, clock.now());
        return r.ok ? { next: r.incident, result: r } : { result: r };
      });
      if (!done) return { ok: false, reason: 'not_found' };
      const r = done.result;
      if (!r.ok || !done.after) return { ok: false, reason: 'resolved', incident: done.before };
      // Watching is shown on the message; a thread reply per click would be noise.
      changes.publish(done.after, done.after);
      changes.emit({ type: 'changed', incident: done.after });
      return { ok: true, incident: done.after, watching: r.watching };
    },

    snooze: (id, by, durationMs) =>
      change<SnoozeResult>(id, (current) => snoozeIncident(current, { by, now: clock.now(), durationMs })),

    unsnooze: (id, by) =>
      change<UnsnoozeResult>(id, (current) => unsnoozeIncident(current, { by, now: clock.now() })),

    setSeverity: (id, by, severity: Severity) =>
      change<SeverityResult>(id, (current) => changeSeverity(current, severity, { by, now: clock.now() })),

    setPolicy: (id, by, policy) =>
      change<PolicyResult>(id, (current) => changePolicy(current, policy, { by, now: clock.now() })),

    async note(id, entry) {
      const done = await changes.transition(id, (current) => ({
        next: addTimelineEntry(current, { ...entry, now: clock.now() }),
        result: true,
      }));
      if (!done?.after) return undefined;
      changes.publish(done.before, done.after);
      return done.after;
    },

    async recordReport(id, report, by, target) {
      const done = await changes.transition(id, (current) => ({
        next: attachReport(current, report, { by, now: clock.now(), target }),
        result: true,
      }));
      if (!done?.after) return undefined;
      changes.publish(done.before, done.after);
      return done.after;
    },
  };
}
