/**
 * Bundle-only stand-ins for storm digests (src/domain/digest.ts), in the functions that go without them
 * (scripts/build-lambda.ts: DIGEST_MAKING, DIGEST_LIST); like unavailable.ts, each is typed as the export it
 * replaces and fails loudly if used.
 */
import type * as DigestList from '../services/digest-list.js';
import type * as DigestPublisher from '../integrations/slack-digest-publisher.js';
import type * as DigestsRepository from '../store/digests-repository.js';
import type * as IncidentDigests from '../services/incident-digests.js';
import { fail, rejecting } from './unavailable-calls.js';

/** src/services/digest-list.ts: a storm digest's List all and Open are buttons, which only `slack` serves. */
export const createDigestListService: typeof DigestList.createDigestListService = () => ({
  page: rejecting('The storm digest list'),
  open: rejecting('The storm digest list'),
});

/**
 * src/services/incident-digests.ts, src/integrations/slack-digest-publisher.ts: storm digests are made where
 * incidents open (or reopen) from signals; `worker`, `tasks` and `connectFlow` never open one (nor run a resync),
 * and the Slack publisher they build flushes and closes an empty digest side.
 */
export const createIncidentDigests: typeof IncidentDigests.createIncidentDigests = () => ({
  place: rejecting('Storm digests'),
  joined: rejecting('Storm digests'),
  resync: rejecting('Storm digests'),
});
export const createDigestsRepository: typeof DigestsRepository.createDigestsRepository = () => {
  const digests = rejecting('Storm digests');
  return {
    countOpened: digests,
    openedIn: digests,
    addMember: digests,
    recover: digests,
    get: digests,
    page: digests,
    attach: digests,
    markShown: digests,
    listUnshown: digests,
  };
};
export const DIGEST_TTL_SECONDS = 0;
export const createDigestPublisher: typeof DigestPublisher.createDigestPublisher = () => ({
  sync: fail('The storm digest publisher'),
  drain: () => Promise.resolve(),
  backlog: () => ({ posts: 0, edits: 0 }),
  stop: () => undefined,
});
