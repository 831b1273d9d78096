/**
 * The escalation episode of an incident: from when it opened, or from its latest reopen (src/domain/reopen.ts).
 * Each episode has its own deadline, ClientTokens and owner.
 */
import type { Incident } from '../domain/incident.js';
import { escalationEpisode } from '../domain/reopen.js';
import type { InProgressItem, InProgressRepository } from './ports/call-stores.js';

/**
 * When the incident's current escalation episode began: when it opened, or its latest reopen. The deadline
 * counts from here, and the ClientTokens hash it, so a reopened incident's calls are new calls to Connect.
 */
export function openedAtOf(incident: Pick<Incident, 'firstSeenAt' | 'reopenedAt' | 'flapping'>): number {
  return escalationEpisode(incident).startedAt;
}

/**
 * Who owns the incident in its current episode (the InProgress claim of an accepted call). A claim made before
 * the episode began (the incident was resolved and reopened since) is released, so the reopen can be phoned
 * about and its accept claimed; a claim without a time (another writer's) is kept.
 */
export async function currentOwner(
  inProgress: InProgressRepository,
  incident: Pick<Incident, 'id' | 'firstSeenAt' | 'reopenedAt' | 'flapping'>,
): Promise<InProgressItem | undefined> {
  const owner = await inProgress.get(incident.id);
  if (owner === undefined || typeof owner.claimedAt !== 'number') return owner;
  if (owner.claimedAt >= openedAtOf(incident)) return owner;
  await inProgress.release(incident.id, { responderId: owner.responderId });
  return undefined;
}
