/**
 * Where storm digests are kept (src/domain/digest.ts): one small record per channel-minute, shared by every
 * process, so that processes agree on which incidents of a minute are shown one by one, and a restart knows what
 * each digest must show; and its members, each on its own, so that a member joining costs the same however large
 * the storm. Implemented on the incidents table (src/store/digests-repository.ts, digest-pages.ts).
 */
import type { Digest, DigestMember } from '../../domain/digest.js';

export interface DigestStore {
  /**
   * Counts one more incident opened in the channel-minute (an atomic add) and answers its ordinal: 1 for the
   * minute's first, however many processes count at once.
   */
  countOpened(digest: Pick<Digest, 'id' | 'channel' | 'minute'>): Promise<number>;
  /** How many incidents opened in that channel-minute (0 when none). */
  openedIn(id: string): Promise<number>;
  /**
   * Adds and counts the member, once for each incident joining the digest (a restart re-adds through `recover`);
   * moves the digest's version on. A constant number of small writes, whatever the digest's size. `opened`: it
   * was not counted in the minute (`countOpened`), so this counts it there too.
   */
  addMember(id: string, member: DigestMember, options?: { opened?: boolean }): Promise<void>;
  /**
   * What a restart does for members of incidents the digest shows (`candidates`): adds the ones a dead process left
   * out, finishes the ones it counted but did not write, and counts none twice; answers how many it changed.
   */
  recover(id: string, candidates: readonly DigestMember[]): Promise<number>;
  get(id: string): Promise<Digest | undefined>;
  /** Page `page` (from 0) of the members, DIGEST_MEMBERS_PER_PAGE a page in the order they joined. */
  page(id: string, page: number): Promise<DigestMember[]>;
  /** Records the digest's message, rendered from `rendered`, unless one is recorded (then false). */
  attach(id: string, slack: { channel: string; ts: string }, rendered: number): Promise<boolean>;
  /** Records that the message shows `version`. */
  markShown(id: string, version: number): Promise<void>;
  /** Digests with members whose message is missing or behind: what a restart must post or edit. */
  listUnshown(): Promise<Digest[]>;
}
