/**
 * Changing an incident's escalation policy by hand (`/incident policy [ID] <policy>`, issue 19). Pure: the
 * caller checks that the policy exists in ONCALL_CONFIG; the escalation notices the change and starts the new
 * policy's chain from its first step.
 */
import type { Incident } from './incident.js';
import { RESPONDERS_POLICY_ID } from './oncall-config.js';
import { appendEntry, iso, timelineEntry } from './timeline.js';

export type PolicyResult =
  | { ok: true; incident: Incident; from: string }
  | { ok: false; reason: 'resolved' }
  | { ok: false; reason: 'unchanged'; policy: string };

/** The policy an incident follows: its own, or the flat list for one stored before routing existed. */
export function policyOf(incident: Pick<Incident, 'policy'>): string {
  return incident.policy ?? RESPONDERS_POLICY_ID;
}

export function changePolicy(
  incident: Incident,
  policy: string,
  input: { by: string; now: number },
): PolicyResult {
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  const from = policyOf(incident);
  if (from === policy) return { ok: false, reason: 'unchanged', policy };
  const text = `Escalation policy changed ${from} → ${policy}`;
  return {
    ok: true,
    from,
    incident: {
      ...incident,
      policy,
      timeline: appendEntry(incident.timeline, timelineEntry(iso(input.now), 'note', text, input.by)),
      version: incident.version + 1,
    },
  };
}

/** A new incident with its route's policy and, when the route names one, its channel (issue 19). */
export function withRoute(
  incident: Incident,
  choice: { policy: string; channel?: string } | undefined,
): Incident {
  if (choice === undefined) return incident;
  return {
    ...incident,
    policy: choice.policy,
    ...(choice.channel === undefined ? {} : { routeChannel: choice.channel }),
  };
}
