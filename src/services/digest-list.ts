/**
 * What people do with a storm digest (src/domain/digest.ts): list its incidents a page at a time, and open one,
 * which gives it its own message with its thread and buttons. Opening is a note on the incident's timeline by
 * the person who opened it: the incident service takes a person's change as the moment a digested incident
 * needs its own message, records that in the same write and posts it (incidents.ts, domain/digest.ts).
 */
import type { DigestListPage } from '../blocks/digest-list.js';
import { DIGEST_MEMBERS_PER_PAGE, inDigestOnly } from '../domain/digest.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentService } from './incidents.js';
import type { DigestStore } from './ports/digest-store.js';

export type OpenFromDigestOutcome =
  | { ok: true; incident: Incident }
  | { ok: false; reason: 'not_found' }
  /** It has its own message already (or one is on its way): nothing to do. */
  | { ok: false; reason: 'has_message'; incident: Incident };

export interface DigestListService {
  /** Page `page` (zero-based, clamped) of the digest's incidents, oldest first; undefined for no such digest. */
  page(digestId: string, page: number): Promise<DigestListPage | undefined>;
  open(incidentId: string, by: string): Promise<OpenFromDigestOutcome>;
}

/** The timeline note of an incident opened from its digest. */
export const OPENED_FROM_DIGEST = 'Opened from the storm digest';

export function createDigestListService(deps: {
  digests: Pick<DigestStore, 'get' | 'page'>;
  incidents: Pick<IncidentService, 'get' | 'note'>;
}): DigestListService {
  return {
    async page(digestId, requested) {
      const digest = await deps.digests.get(digestId);
      if (!digest) return undefined;
      // The count is the digest's (exact); a page of the list is a page of its stored members.
      const pages = Math.max(1, Math.ceil(digest.count / DIGEST_MEMBERS_PER_PAGE));
      const page = Math.min(Math.max(0, Math.floor(requested)), pages - 1);
      const shown = await deps.digests.page(digestId, page);
      const incidents = await Promise.all(shown.map((m) => deps.incidents.get(m.id)));
      return {
        digestId,
        minute: digest.minute,
        page,
        pages,
        total: digest.count,
        entries: shown.map((member, i) => ({ member, incident: incidents[i] })),
      };
    },

    async open(incidentId, by) {
      const incident = await deps.incidents.get(incidentId);
      if (!incident) return { ok: false, reason: 'not_found' };
      if (!inDigestOnly(incident)) return { ok: false, reason: 'has_message', incident };
      const noted = await deps.incidents.note(incidentId, {
        kind: 'note',
        actor: by,
        text: OPENED_FROM_DIGEST,
      });
      return noted ? { ok: true, incident: noted } : { ok: false, reason: 'not_found' };
    },
  };
}
