/**
 * Storm digests, the incident service's side (the rules: src/domain/digest.ts):
 * - `place`: at open, counts the incident in its channel-minute (durable, shared by every process) and says
 *   whether it joins the minute's digest; the answer is stored on the incident in the write that creates it, so
 *   the start-up resync never posts a digested incident on its own. Once an incident of a minute has joined its
 *   digest, every later one of that minute does (its ordinal is higher), so those are counted in the minute by
 *   the write that adds them to the digest instead: a storm's incident writes the digest's item once, not twice;
 * - `joined`: once the incident is stored, adds it to the digest's members and asks the publisher to show it;
 * - `resync`: what a restart finds: members an earlier process left out of their digest (it died between storing
 *   the incident and adding it), and digests whose message is missing or behind.
 */
import type { Clock } from '../domain/clock.js';
import {
  digestIdOf,
  digestMinuteOf,
  inDigestOnly,
  joinsDigest,
  memberOf,
  previousMinute,
  type IncidentDigestRef,
} from '../domain/digest.js';
import type { Incident } from '../domain/incident.js';
import type { Logger } from '../logger.js';
import type { DigestStore } from './ports/digest-store.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';

export interface IncidentDigests {
  /** The digest a new incident joins, or undefined for a message of its own. */
  place(incident: Incident): Promise<IncidentDigestRef | undefined>;
  /** The incident (stored with its `digest`) joins its digest's members; the digest is shown. */
  joined(incident: Incident): Promise<void>;
  /** Re-adds lost members of these stored incidents, and shows every digest left behind; answers how many. */
  resync(unshown: readonly Incident[]): Promise<number>;
}

/** Previous minutes known to be storms, kept this long (a storm's next minute asks once). */
const STORMS_REMEMBERED = 16;
/** Incidents placed without being counted, remembered until they join (more means joins that never came). */
const UNCOUNTED_REMEMBERED = 10_000;

export function createIncidentDigests(deps: {
  store: DigestStore;
  publisher: Pick<IncidentPublisher, 'syncDigest'>;
  /** The channel incidents are posted to, as configured. */
  channel: string;
  /** DIGEST_AFTER; 0 turns digests off. */
  digestAfter: number;
  clock: Clock;
  logger: Logger;
}): IncidentDigests {
  const { store, publisher, channel, digestAfter, logger } = deps;
  // A minute once a storm stays one (its count only grows): no need to read it again.
  const storms = new Set<string>();
  // Digests this process has placed an incident in: every later incident of their minute joins them too.
  const joining = new Set<string>();
  // Incidents placed in a digest without counting them in the minute: their joining write counts them.
  const uncounted = new Set<string>();
  const remember = (set: Set<string>, value: string, most: number) => {
    set.add(value);
    if (set.size > most) set.delete(set.values().next().value ?? '');
  };

  async function previousOpened(minute: string): Promise<number> {
    const id = digestIdOf(channel, previousMinute(minute));
    if (storms.has(id)) return digestAfter + 1;
    const opened = await store.openedIn(id);
    if (opened > digestAfter) remember(storms, id, STORMS_REMEMBERED);
    return opened;
  }

  return {
    async place(incident) {
      if (digestAfter <= 0) return undefined;
      const minute = digestMinuteOf(deps.clock.now());
      const id = digestIdOf(channel, minute);
      if (joining.has(id)) {
        remember(uncounted, incident.id, UNCOUNTED_REMEMBERED);
        return { id };
      }
      const ordinal = await store.countOpened({ id, channel, minute });
      const joins =
        ordinal > digestAfter ||
        joinsDigest({ ordinal, digestAfter, previousOpened: await previousOpened(minute) });
      if (!joins) return undefined;
      remember(joining, id, STORMS_REMEMBERED);
      return { id };
    },

    async joined(incident) {
      if (incident.digest === undefined) return;
      try {
        const opened = uncounted.delete(incident.id);
        await store.addMember(incident.digest.id, memberOf(incident), { opened });
      } catch (error) {
        // The incident is stored (its sender must not send it again); the next start's resync adds it.
        logger.error(
          { err: error, incident: incident.id, digest: incident.digest.id },
          'could not add an incident to its storm digest; the next start adds it',
        );
      }
      publisher.syncDigest(incident.digest.id);
    },

    async resync(unshown) {
      const byDigest = new Map<string, Incident[]>();
      for (const incident of unshown) {
        if (!inDigestOnly(incident) || incident.digest === undefined) continue;
        byDigest.set(incident.digest.id, [...(byDigest.get(incident.digest.id) ?? []), incident]);
      }
      const ids = new Set<string>();
      for (const [id, incidents] of byDigest) {
        if ((await store.get(id)) === undefined) {
          logger.warn(
            { digest: id, incidents: incidents.length },
            'a storm digest has expired; its incidents are listed only',
          );
          continue;
        }
        const added = await store.recover(id, incidents.map(memberOf));
        if (added > 0) {
          logger.info({ digest: id, added }, 'added incidents an earlier process left out of their digest');
          ids.add(id);
        }
      }
      for (const digest of await store.listUnshown()) ids.add(digest.id);
      for (const id of ids) publisher.syncDigest(id, { recovering: true });
      return ids.size;
    },
  };
}
