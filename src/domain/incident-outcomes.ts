/**
 * What each action on an incident came to (acknowledge, resolve, watch, snooze, severity, policy): the incident
 * service returns them, and the Slack builders (blocks/outcomes.ts) and routes say them. Domain types, so the
 * pure builders never import the services.
 */
import type { Severity } from './alert.js';
import type { Incident } from './incident.js';

export type AcknowledgeOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_acknowledged'; by: string; incident: Incident }
  | { ok: false; reason: 'resolved'; incident: Incident };

export type ResolveOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_resolved'; by: string; incident: Incident };

export type WatchOutcome =
  | { ok: true; incident: Incident; watching: boolean }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'resolved'; incident: Incident };

export type SnoozeOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'resolved'; incident: Incident }
  | { ok: false; reason: 'too_long'; maxMs: number; incident: Incident };

export type UnsnoozeOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_snoozed'; incident: Incident };

export type SeverityOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'resolved'; incident: Incident }
  | { ok: false; reason: 'unchanged'; severity: Severity; incident: Incident };

/** `/incident policy` (issue 19). */
export type PolicyOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'resolved'; incident: Incident }
  | { ok: false; reason: 'unchanged'; policy: string; incident: Incident };
