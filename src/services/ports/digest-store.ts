/**
 * Where storm digests are kept (src/domain/digest.ts): one record per channel-minute, shared by every process, so
 * that processes agree on which incidents of a minute are shown one by one, and a restart knows what each digest
 * must show. Implemented on the incidents table (src/store/digests-repository.ts).
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
  /** Adds the member unless it is there (then nothing changes); moves the digest's version on. */
  addMember(id: string, member: DigestMember): Promise<void>;
  get(id: string): Promise<Digest | undefined>;
  /** Records the digest's message, rendered from `rendered`, unless one is recorded (then false). */
  attach(id: string, slack: { channel: string; ts: string }, rendered: number): Promise<boolean>;
  /** Records that the message shows `version`. */
  markShown(id: string, version: number): Promise<void>;
  /** Digests with members whose message is missing or behind: what a restart must post or edit. */
  listUnshown(): Promise<Digest[]>;
}
