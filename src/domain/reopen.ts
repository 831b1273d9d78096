/**
 * Reopen, not duplicate: an alert that fires again soon after its incident was resolved reopens that incident
 * (same number, same Slack message back to triggered, a `reopened` timeline entry, a reopen count). After the
 * window the alert opens a new incident that links the last one, which is marked superseded so that it is never
 * reopened later (the mark and a reopen are both conditional writes on the old incident's version: exactly one
 * of them wins, whichever process tries).
 *
 * Flapping: FLAP_REOPENS reopens within FLAP_WINDOW_MS. The flag is set (or cleared) at each reopen; a flapping
 * incident's reopen starts no new phone chain (src/domain/escalation.ts reads `escalationEpisode`).
 */
import { firingsOf, type AlertSignal } from './alert.js';
import { systemActor, type Incident } from './incident.js';
import { applyRepeat, isRenotification } from './incident-repeats.js';
import { formatDuration } from './duration.js';
import { appendEntry, iso, timelineEntry } from './timeline.js';

/** Reopens within this long count towards flapping. */
export const FLAP_WINDOW_MS = 3_600_000;
/** This many reopens within FLAP_WINDOW_MS mark the incident flapping. */
export const FLAP_REOPENS = 3;
/** Reopen times kept on the incident (flapping needs the last FLAP_REOPENS). */
export const REOPENS_KEPT = 10;

/** Why a new firing does not reopen: still open, replaced, resolved too long ago, or the same firing again. */
export type NoReopen = 'open' | 'superseded' | 'too_late' | 'renotified';
export type ReopenResult = { ok: true; incident: Incident } | { ok: false; reason: NoReopen };

/** Whether a new firing at `now` reopens this incident rather than opening a new one. */
export function reopenDecision(
  incident: Pick<Incident, 'status' | 'resolvedAt' | 'lastSeenAt' | 'supersededBy' | 'firingId'>,
  signal: Pick<AlertSignal, 'firingId'>,
  input: { now: number; windowMs: number },
): 'reopen' | NoReopen {
  if (isRenotification(incident, signal)) return 'renotified';
  if (incident.status !== 'resolved') return 'open';
  if (incident.supersededBy !== undefined) return 'superseded';
  const resolvedAt = Date.parse(incident.resolvedAt ?? incident.lastSeenAt);
  return input.windowMs > 0 && input.now - resolvedAt <= input.windowMs ? 'reopen' : 'too_late';
}

/**
 * The resolved incident back to triggered by a new firing: acknowledgement and resolution cleared, count + 1 and
 * the rest as a repeat (`applyRepeat`), one more reopen (flapping recomputed), and a `reopened` timeline entry.
 */
export function reopenIncident(
  incident: Incident,
  signal: AlertSignal,
  input: { now: number; windowMs: number },
): ReopenResult {
  const decision = reopenDecision(incident, signal, input);
  if (decision !== 'reopen') return { ok: false, reason: decision };
  const at = iso(input.now);
  const repeat = applyRepeat(incident, signal, at);
  const {
    acknowledgedBy: _ackBy,
    acknowledgedAt: _ackAt,
    resolvedBy: _resBy,
    resolvedAt,
    resolveNote: _note,
    ...rest
  } = repeat;
  const reopenCount = (incident.reopenCount ?? 0) + 1;
  const reopenedAt = [...(incident.reopenedAt ?? []), at].slice(-REOPENS_KEPT);
  const recent = reopenedAt.filter((t) => input.now - Date.parse(t) <= FLAP_WINDOW_MS).length;
  const flapping = recent >= FLAP_REOPENS;
  const after =
    resolvedAt === undefined
      ? ''
      : `, ${formatDuration(input.now - Date.parse(resolvedAt))} after it was resolved`;
  const text =
    `Fired again${after} (reopen ${reopenCount})` +
    (flapping ? `; flapping: ${recent} reopens in the last hour, so no new phone chain` : '');
  return {
    ok: true,
    incident: {
      ...rest,
      status: 'triggered',
      count: incident.count + firingsOf(signal),
      reopenCount,
      reopenedAt,
      flapping,
      timeline: appendEntry(incident.timeline, timelineEntry(at, 'reopened', text, systemActor(signal))),
      version: incident.version + 1,
    },
  };
}

/**
 * Marks a resolved incident as replaced by `byId` (the alert fired after the reopen window); undefined when it
 * cannot be (open again, or already replaced): the caller then looks again.
 */
export function supersede(incident: Incident, byId: string): Incident | undefined {
  if (incident.status !== 'resolved' || incident.supersededBy !== undefined) return undefined;
  return { ...incident, supersededBy: byId, version: incident.version + 1 };
}

/** What a new incident shows of the one it follows. */
export function previousOf(incident: Pick<Incident, 'id' | 'resolvedAt' | 'lastSeenAt'>): {
  id: string;
  resolvedAt: string;
} {
  return { id: incident.id, resolvedAt: incident.resolvedAt ?? incident.lastSeenAt };
}

/**
 * The current escalation episode: when it began (the first alert, or the latest reopen) and whether it may
 * start a phone chain (not when the reopen that began it made the incident flapping).
 */
export function escalationEpisode(
  incident: Pick<Incident, 'firstSeenAt' | 'reopenedAt' | 'flapping' | 'silencedBy'>,
): {
  startedAt: number;
  mayStartChain: boolean;
} {
  const last = incident.reopenedAt?.at(-1);
  // Held by a silence (src/domain/silence.ts): it pages nobody until the silence ends and releases it.
  const held = (incident.silencedBy?.length ?? 0) > 0;
  return {
    startedAt: Date.parse(last ?? incident.firstSeenAt),
    mayStartChain: !held && (last === undefined || incident.flapping !== true),
  };
}
