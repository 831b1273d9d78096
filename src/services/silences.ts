/**
 * Silences and maintenance windows (issue 20; the rules: src/domain/silence.ts):
 * - `create`: stores it; in force at once, it holds the open incidents it matches and stops their phone chains;
 * - `expire`: ends it early (`DELETE /api/silences/<id>`, `/maintenance end`), then `finish`es it;
 * - `tick` (the scheduler, the Lambda tick): applies silences whose start has come, finishes ended ones;
 * - `finish`: exactly one process (a conditional write on the silence, silence-store.ts) posts the one summary
 *   of the incidents it held that are still firing, then releases them. A post that fails gives the claim back
 *   for the next tick; a claim whose holder died is taken over after SUMMARY_LEASE_MS.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { isOpen, type Incident } from '../domain/incident.js';
import { silenceFromNow, type SilenceDraft } from '../domain/silence-input.js';
import { stateOf, type Silence } from '../domain/silence.js';
import type { Logger } from '../logger.js';
import type { EscalationService } from './escalation.js';
import type { IncidentService } from './incidents.js';
import type { SilenceAnnouncer } from './ports/silence-announcer.js';
import type { SilenceStore } from './ports/silence-store.js';
import type { SilenceMatcher } from './silence-matcher.js';

/** A summary claimed this long ago and never recorded was left by a process that died: another takes it over. */
export const SUMMARY_LEASE_MS = 5 * 60_000;

export type ExpireOutcome =
  | { ok: true; silence: Silence; summarised: number }
  | { ok: false; reason: 'not_found' | 'already_ended'; silence?: Silence };

export type SilenceIncidentOutcome =
  | { ok: true; silence: Silence; incident: Incident }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; problem: string };

export interface SilenceService {
  create(draft: SilenceDraft, by: string): Promise<Silence>;
  /** Every silence kept (ended ones for SILENCE_KEPT_DAYS), in force first, then pending, then ended. */
  list(): Promise<Silence[]>;
  /** The ones in force or still to start. */
  current(): Promise<Silence[]>;
  expire(id: string, by: string): Promise<ExpireOutcome>;
  /** `/incident silence`: the incident's fingerprint silenced from now, for `durationMs`. */
  silenceIncident(
    incidentId: string,
    input: { durationMs: number; comment: string },
    by: string,
  ): Promise<SilenceIncidentOutcome>;
  tick(now?: number): Promise<{ applied: number; finished: number }>;
}

const ORDER = { active: 0, pending: 1, expired: 2 } as const;

export function createSilenceService(deps: {
  store: SilenceStore;
  matcher: SilenceMatcher;
  incidents: Pick<IncidentService, 'get' | 'listOpen' | 'hold' | 'release'>;
  escalation: Pick<EscalationService, 'stopSilenced'>;
  announcer: SilenceAnnouncer;
  clock: Clock;
  logger: Logger;
}): SilenceService {
  const { store, matcher, incidents, clock, logger } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();

  /** Holds the open incidents it matches and stops their phone chains; idempotent, then marked applied. */
  async function apply(silence: Silence): Promise<void> {
    matcher.changed();
    let held = 0;
    for (const incident of await incidents.listOpen()) {
      if (!(await matcher.silencingIncident(incident)).includes(silence.id)) continue;
      await incidents.hold(incident.id, [silence.id]);
      if (await deps.escalation.stopSilenced(incident.id, silence.createdBy)) {
        logger.info({ incident: incident.id, silence: silence.id }, 'phone chain stopped by a silence');
      }
      held += 1;
    }
    await store.markApplied(silence.id, iso(clock.now()));
    logger.info({ silence: silence.id, held }, 'silence in force');
  }

  async function finish(silence: Silence, now: number): Promise<number | undefined> {
    if (stateOf(silence, now) !== 'expired' || silence.summary?.postedAt !== undefined) return undefined;
    if (!(await store.claimSummary(silence.id, iso(now), iso(now - SUMMARY_LEASE_MS)))) return undefined;
    const held = (await incidents.listOpen()).filter((i) => i.silencedBy?.includes(silence.id));
    // Another silence still holding it lists it when that one ends.
    const listed = held.filter((i) => isOpen(i) && (i.silencedBy ?? []).every((id) => id === silence.id));
    let slack: { channel: string; ts: string } | undefined;
    if (listed.length > 0) {
      try {
        slack = await deps.announcer.postSummary(silence, listed);
      } catch (error) {
        await store.releaseSummary(silence.id);
        throw error;
      }
    }
    const listedIds = new Set(listed.map((i) => i.id));
    for (const incident of held) await incidents.release(incident.id, silence.id, listedIds.has(incident.id));
    await store.recordSummary(silence.id, {
      postedAt: iso(clock.now()),
      incidents: listed.length,
      ...(slack === undefined ? {} : { slack }),
    });
    matcher.changed();
    logger.info({ silence: silence.id, released: held.length, listed: listed.length }, 'silence ended');
    return listed.length;
  }

  async function create(draft: SilenceDraft, by: string): Promise<Silence> {
    const silence: Silence = {
      ...draft,
      id: `sil-${randomBytes(4).toString('hex')}`,
      createdBy: by,
      createdAt: iso(clock.now()),
    };
    if (!(await store.create(silence))) return create(draft, by); // an id drawn twice: draw again
    matcher.changed();
    if (stateOf(silence, clock.now()) === 'active') await apply(silence);
    return silence;
  }

  return {
    create,

    async list() {
      const now = clock.now();
      return (await store.list()).sort(
        (a, b) =>
          ORDER[stateOf(a, now)] - ORDER[stateOf(b, now)] || Date.parse(b.startsAt) - Date.parse(a.startsAt),
      );
    },

    async current() {
      const now = clock.now();
      return (await this.list()).filter((s) => stateOf(s, now) !== 'expired');
    },

    async expire(id, by) {
      const known = await store.get(id);
      if (known === undefined) return { ok: false, reason: 'not_found' };
      const now = clock.now();
      const expired = await store.expire(id, by, iso(now));
      if (expired === undefined) return { ok: false, reason: 'already_ended', silence: known };
      matcher.changed();
      return { ok: true, silence: expired, summarised: (await finish(expired, now)) ?? 0 };
    },

    async silenceIncident(incidentId, input, by) {
      const incident = await incidents.get(incidentId);
      if (incident === undefined) return { ok: false, reason: 'not_found' };
      const draft = silenceFromNow({
        fingerprint: incident.fingerprint,
        incidentId,
        durationMs: input.durationMs,
        comment: input.comment === '' ? `Silenced ${incidentId} from Slack` : input.comment,
        now: clock.now(),
      });
      if (!draft.ok) return { ok: false, reason: 'invalid', problem: `${draft.field} ${draft.reason}` };
      const silence = await create(draft.draft, by);
      return { ok: true, silence, incident: (await incidents.get(incidentId)) ?? incident };
    },

    async tick(now = clock.now()) {
      let applied = 0;
      let finished = 0;
      for (const silence of await store.list()) {
        try {
          const state = stateOf(silence, now);
          if (state === 'active' && silence.appliedAt === undefined) {
            await apply(silence);
            applied += 1;
          } else if (state === 'expired' && (await finish(silence, now)) !== undefined) finished += 1;
        } catch (error) {
          logger.error({ err: error, silence: silence.id }, 'silence step failed; the next tick tries again');
        }
      }
      return { applied, finished };
    },
  };
}
