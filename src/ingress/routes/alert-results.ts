/** How an ingested signal is reported back to the sender, the same in every alert format. */
import type { IncidentStatus } from '../../domain/incident.js';
import type { IngestOutcome } from '../../services/incidents.js';

export interface AlertResult {
  /**
   * opened, folded (deduplicated into an open incident), reopened (a resolved one, within REOPEN_WINDOW_MINUTES),
   * renotified (a firing already counted: nothing changed), acknowledged, resolved, or ignored.
   */
  action: IngestOutcome['action'];
  /** `INC-42`; null when the signal was ignored (an acknowledge/resolve with no open incident). */
  incident_id: string | null;
  status: IncidentStatus | null;
  deduplicated: boolean;
  /** Why nothing happened, for `ignored`. */
  reason?: string;
  /** A silence in force matched it: stored and counted, but shown and paged nowhere (issue 20). */
  silenced?: true;
}

export function ingestResult(outcome: IngestOutcome): AlertResult {
  if (outcome.action === 'ignored') {
    return {
      action: 'ignored',
      incident_id: null,
      status: null,
      deduplicated: false,
      reason: outcome.reason,
    };
  }
  return {
    action: outcome.action,
    incident_id: outcome.incident.id,
    status: outcome.incident.status,
    deduplicated: outcome.deduplicated,
    ...(outcome.silenced === true ? { silenced: true as const } : {}),
  };
}
