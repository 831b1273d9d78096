/**
 * Posting a message that must exist once — an incident's message, a storm digest — across processes and crashes.
 * - Across processes, a durable claim (`PostClaims.claim`, POST_LEASE_SECONDS) decides who posts; the others
 *   wait for its message, and take over once the claim has expired (its holder died).
 * - Across crashes: a post can reach Slack and its `ts` never be stored (kill -9 between the answer and the
 *   write, a lost answer). Every message carries metadata naming what it shows, and a durable mark is written
 *   before each post (`PostClaims.firstAttempt`): when a post went out before, the channel is searched for that
 *   message first (slack-message-lookup.ts) and the message found is adopted — recorded as the record's, then
 *   edited to the current state — instead of posting a second copy whose first would keep live buttons forever.
 *   A first post (nearly all of them) costs one conditional write and no Slack read.
 * `createMessagePoster` is that, for any record with an id, a version and a message; `createIncidentPoster` is it
 * for incidents (slack-digest-publisher.ts uses it for digests).
 */
import type { WebClient } from '@slack/web-api';
import type { KnownBlock, MessageAttachment } from '../blocks/kit.js';
import { buildIncidentMessage } from '../blocks/incident-message.js';
import { withoutOwnMessage } from '../domain/silence.js';
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

/** A record that has one message: an incident, a digest. */
export interface PostedRecord {
  id: string;
  version: number;
  slack?: { channel: string; ts: string };
}

/** How one kind of record is posted. */
export interface MessageKind<R extends PostedRecord> {
  /** For the log: `incident`, `digest`. */
  name: string;
  render(record: R): { text: string; blocks: KnownBlock[]; attachments?: MessageAttachment[] };
  metadata(record: R): { event_type: string; event_payload: Record<string, string> };
  /** The message an earlier attempt posted, if the channel has one (slack-message-lookup.ts). */
  find(record: R): Promise<{ channel: string; ts: string } | undefined>;
  /** False when the record is to have no message now (an incident its digest shows): nothing is posted. */
  wanted(record: R): boolean;
  /** Where this record posts, when not the poster's channel (an incident its route sends elsewhere). */
  channel?(record: R): string | undefined;
}

export interface MessagePoster<R extends PostedRecord> {
  /**
   * Posts the record's message unless it has one, and answers the record with its message. `known` is what
   * the caller just read (saving a read), or NO_MESSAGE_YET from the incident's opener: its incident is then read
   * only when the post's turn comes, since a read made while queueing behind the channel's post pacing would be
   * thrown away. When another process holds the post claim, waits for its message (a reply needs its ts), and
   * takes over once the claim has expired. `recovering`: an earlier process left this record unposted (a restart
   * finishing its backlog); if that process's claim is still held, its message may be out there: search for it.
   * A record that is not `wanted` is answered as it is, without a message.
   */
  ensurePosted(
    id: string,
    known?: R | typeof NO_MESSAGE_YET,
    options?: { recovering?: boolean },
  ): Promise<R | undefined>;
}

export interface MessagePosterDeps<R extends PostedRecord> {
  client: WebClient;
  channel: string;
  kind: MessageKind<R>;
  load(id: string): Promise<R | undefined>;
  /** Records the message, rendered from version `rendered` (a conditional write). */
  attach(id: string, slack: { channel: string; ts: string }, rendered: number): Promise<void>;
  postClaims: PostClaims;
  posts: PostGate;
  logger: Logger;
  /** How often a process waiting for another's post looks again. */
  pollMs: number;
  /** A message found and adopted shows an older state: the caller edits it. */
  adopted(id: string): void;
}

export function createMessagePoster<R extends PostedRecord>(deps: MessagePosterDeps<R>): MessagePoster<R> {
  const { client, logger, postClaims, kind } = deps;

  /**
   * Adopts the message an earlier attempt posted, if the channel has one. A search that fails (a scope the app
   * lacks, Slack down) finds nothing: a second message is better than none.
   */
  async function adoptEarlier(record: R): Promise<R | undefined> {
    const found = await kind.find(record).catch((error: unknown) => {
      logger.warn(
        { err: error, [kind.name]: record.id },
        'could not search the channel for an earlier message',
      );
      return undefined;
    });
    if (!found) return undefined;
    logger.info({ [kind.name]: record.id, ...found }, 'adopting the message an earlier attempt posted');
    deps.posts.alias(deps.channel, found.channel);
    // Rendered from an unknown older version: recorded as behind, so a crash before the edit still gets it edited.
    await deps.attach(record.id, found, 0);
    deps.adopted(record.id);
    return (await deps.load(record.id)) ?? { ...record, slack: found };
  }

  /** Posts one message: only the holder of the record's post claim does. */
  async function postOnce(id: string): Promise<R | undefined | 'claimed elsewhere'> {
    // Read once it is our turn: what is posted is what is stored now, not when we queued.
    const fresh = await deps.load(id);
    if (!fresh || fresh.slack || !kind.wanted(fresh)) return fresh;
    if (!(await postClaims.claim(id, POST_LEASE_SECONDS))) return 'claimed elsewhere';
    try {
      if (!(await postClaims.firstAttempt(id))) {
        const earlier = await adoptEarlier(fresh);
        if (earlier) return earlier;
      }
      const message = kind.render(fresh);
      const channel = kind.channel?.(fresh) ?? deps.channel;
      const result = await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
        unfurl_links: false,
        metadata: kind.metadata(fresh),
      });
      const slack = { channel: String(result.channel), ts: String(result.ts) };
      // A channel configured by name is answered with its id, which thread replies use: one lane for both.
      deps.posts.alias(channel, slack.channel);
      await deps.attach(id, slack, fresh.version);
      logger.debug({ [kind.name]: id, ...slack }, 'message posted');
      return { ...fresh, slack };
    } catch (error) {
      // Nothing was recorded: let the next try, here or in another process, post it (or find it).
      await postClaims.release(id).catch((releaseError: unknown) => {
        logger.warn({ err: releaseError, [kind.name]: id }, 'could not release the post claim; it expires');
      });
      throw error;
    }
  }

  return {
    async ensurePosted(id, known, options) {
      const maxPolls = Math.ceil((POST_LEASE_SECONDS * 1000) / deps.pollMs) + 2;
      let searched = options?.recovering !== true;
      let record: R | undefined;
      if (known !== NO_MESSAGE_YET) {
        record = known ?? (await deps.load(id));
        // No turn at the channel's post pacing for a record that is to have no message.
        if (!record || !kind.wanted(record)) return record;
      }
      for (let poll = 0; !record?.slack && poll <= maxPolls; poll += 1) {
        const outcome = await deps.posts.send(deps.channel, () => postOnce(id));
        if (outcome !== 'claimed elsewhere') return outcome;
        if (!searched) {
          // The claim is most likely the dead process's own: its message need not wait for the lease to end.
          searched = true;
          const current = record ?? (await deps.load(id));
          const earlier = current?.slack ? current : current && (await adoptEarlier(current));
          if (earlier) return earlier;
        }
        await new Promise((resolve) => setTimeout(resolve, deps.pollMs));
        record = await deps.load(id);
        if (!record) return undefined;
      }
      return record;
    },
  };
}

export type IncidentPoster = MessagePoster<Incident>;

/** Incidents: their message with its buttons, tagged with the incident's id; none while a digest shows them. */
export function createIncidentPoster(
  deps: Omit<MessagePosterDeps<Incident>, 'kind'> & { lookup: MessageLookup },
): IncidentPoster {
  const { lookup, ...rest } = deps;
  return createMessagePoster<Incident>({
    ...rest,
    kind: {
      name: 'incident',
      render: (incident) => buildIncidentMessage(incident),
      metadata: incidentMessageMetadata,
      find: (incident) => lookup.find(incident),
      wanted: (incident) => !withoutOwnMessage(incident),
      // A route's channel (issue 19): that team's incidents post there.
      channel: (incident) => incident.routeChannel,
    },
  });
}
