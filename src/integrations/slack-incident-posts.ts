/**
 * Posting an incident's message: once, across processes and across crashes.
 * - Across processes, a durable claim (`PostClaims.claim`, POST_LEASE_SECONDS) decides who posts; the others
 *   wait for its message, and take over once the claim has expired (its holder died).
 * - Across crashes: a post can reach Slack and its `ts` never be stored (kill -9 between the answer and the
 *   write, a lost answer). Every message carries metadata naming its incident, and a durable mark is written
 *   before each post (`PostClaims.firstAttempt`): when a post went out before, the channel is searched for that
 *   message first (slack-message-lookup.ts) and the message found is adopted — recorded as the incident's, then
 *   edited to the current state — instead of posting a second copy whose first would keep live buttons forever.
 *   A first post (nearly all of them) costs one conditional write and no Slack read.
 */
import type { WebClient } from '@slack/web-api';
import { buildIncidentMessage } from '../blocks/incident-message.js';
import type { Incident } from '../domain/incident.js';
import type { Logger } from '../logger.js';
import { incidentMessageMetadata, type MessageLookup } from './slack-message-lookup.js';
import type { PostGate } from './slack-pacing.js';

export interface PostClaims {
  /** A durable conditional write that one process wins for `leaseSeconds`. */
  claim(incidentId: string, leaseSeconds: number): Promise<boolean>;
  /** Gives the claim up after a failed post. */
  release(incidentId: string): Promise<void>;
  /**
   * Durably records that a post of the incident's message is about to go out: true the first time, false when
   * one went out before (from any process, recorded or not), which is when the channel is searched first.
   */
  firstAttempt(incidentId: string): Promise<boolean>;
}

/**
 * How long the process that claimed an incident's post has to post it before another may take over (it crashed
 * between its claim and recording the message). Longer than the Web API client's retries of one call (about
 * 30 s), so a slow post is never doubled; a crash at that moment delays the message by at most this, unless a
 * restart finds the message first (`recovering`).
 */
export const POST_LEASE_SECONDS = 120;
/** How long the mark of a post attempt is kept: an incident first posted longer ago is not searched for. */
export const POST_ATTEMPT_MEMORY_SECONDS = 30 * 86_400;

/** What the opener of an incident knows before its message is posted (see ensurePosted). */
export const NO_MESSAGE_YET = Symbol('no message yet');

/** Without a store, this process is the only poster; its marks last as long as it does. */
export function inProcessPostClaims(): PostClaims {
  const attempted = new Set<string>();
  return {
    claim: () => Promise.resolve(true),
    release: () => Promise.resolve(),
    firstAttempt(id) {
      const first = !attempted.has(id);
      attempted.add(id);
      return Promise.resolve(first);
    },
  };
}

export interface IncidentPoster {
  /**
   * Posts the incident's message unless it has one, and answers the incident with its message. `known` is what
   * the caller just read (saving a read), or NO_MESSAGE_YET from the incident's opener: its incident is then read
   * only when the post's turn comes, since a read made while queueing behind the channel's post pacing would be
   * thrown away. When another process holds the post claim, waits for its message (a reply needs its ts), and
   * takes over once the claim has expired. `recovering`: an earlier process left this incident unposted (a restart
   * finishing its backlog); if that process's claim is still held, its message may be out there: search for it.
   */
  ensurePosted(
    id: string,
    known?: Incident | typeof NO_MESSAGE_YET,
    options?: { recovering?: boolean },
  ): Promise<Incident | undefined>;
}

export function createIncidentPoster(deps: {
  client: WebClient;
  channel: string;
  load(id: string): Promise<Incident | undefined>;
  /** Records the message, rendered from version `rendered` (a conditional write on the incident). */
  attach(id: string, slack: { channel: string; ts: string }, rendered: number): Promise<void>;
  postClaims: PostClaims;
  posts: PostGate;
  lookup: MessageLookup;
  logger: Logger;
  /** How often a process waiting for another's post looks again. */
  pollMs: number;
  /** A message found and adopted shows an older state: the caller edits it. */
  adopted(id: string): void;
}): IncidentPoster {
  const { client, logger, postClaims } = deps;

  /**
   * Adopts the message an earlier attempt posted, if the channel has one. A search that fails (a scope the app
   * lacks, Slack down) finds nothing: a second message is better than none.
   */
  async function adoptEarlier(incident: Incident): Promise<Incident | undefined> {
    const found = await deps.lookup.find(incident).catch((error: unknown) => {
      logger.warn(
        { err: error, incident: incident.id },
        'could not search the channel for an earlier message',
      );
      return undefined;
    });
    if (!found) return undefined;
    logger.info({ incident: incident.id, ...found }, 'adopting the message an earlier attempt posted');
    // Rendered from an unknown older version: recorded as behind, so a crash before the edit still gets it edited.
    await deps.attach(incident.id, found, 0);
    deps.adopted(incident.id);
    return (await deps.load(incident.id)) ?? { ...incident, slack: found };
  }

  /** Posts one message: only the holder of the incident's post claim does. */
  async function postOnce(id: string): Promise<Incident | undefined | 'claimed elsewhere'> {
    // Read once it is our turn: what is posted is what is stored now, not when we queued.
    const fresh = await deps.load(id);
    if (!fresh || fresh.slack) return fresh;
    if (!(await postClaims.claim(id, POST_LEASE_SECONDS))) return 'claimed elsewhere';
    try {
      if (!(await postClaims.firstAttempt(id))) {
        const earlier = await adoptEarlier(fresh);
        if (earlier) return earlier;
      }
      const message = buildIncidentMessage(fresh);
      const result = await client.chat.postMessage({
        channel: deps.channel,
        text: message.text,
        blocks: message.blocks,
        attachments: message.attachments,
        unfurl_links: false,
        metadata: incidentMessageMetadata(fresh),
      });
      const slack = { channel: String(result.channel), ts: String(result.ts) };
      await deps.attach(id, slack, fresh.version);
      logger.debug({ incident: id, ...slack }, 'incident message posted');
      return { ...fresh, slack };
    } catch (error) {
      // Nothing was recorded: let the next try, here or in another process, post it (or find it).
      await postClaims.release(id).catch((releaseError: unknown) => {
        logger.warn({ err: releaseError, incident: id }, 'could not release the post claim; it expires');
      });
      throw error;
    }
  }

  return {
    async ensurePosted(id, known, options) {
      const maxPolls = Math.ceil((POST_LEASE_SECONDS * 1000) / deps.pollMs) + 2;
      let searched = options?.recovering !== true;
      let incident: Incident | undefined;
      if (known !== NO_MESSAGE_YET) {
        incident = known ?? (await deps.load(id));
        if (!incident) return undefined;
      }
      for (let poll = 0; !incident?.slack && poll <= maxPolls; poll += 1) {
        const outcome = await deps.posts.send(deps.channel, () => postOnce(id));
        if (outcome !== 'claimed elsewhere') return outcome;
        if (!searched) {
          // The claim is most likely the dead process's own: its message need not wait for the lease to end.
          searched = true;
          const current = incident ?? (await deps.load(id));
          const earlier = current?.slack ? current : current && (await adoptEarlier(current));
          if (earlier) return earlier;
        }
        await new Promise((resolve) => setTimeout(resolve, deps.pollMs));
        incident = await deps.load(id);
        if (!incident) return undefined;
      }
      return incident;
    },
  };
}
