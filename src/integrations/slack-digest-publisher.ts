/**
 * Storm digests on Slack's Web API (src/domain/digest.ts, src/blocks/digest-message.ts). A digest is one message
 * per channel-minute, edited in place as incidents join it, so that 500 distinct alerts in a minute cost a few
 * posts and a few dozen edits instead of 500 posts:
 * - it is posted once, across processes and crashes, by the same machinery as incident messages (a durable
 *   claim, a mark before each post, metadata `hikeshi_digest` naming it and adoption of a message a crash left
 *   unrecorded: slack-incident-posts.ts), through the channel's post pacing;
 * - its edits are coalesced: at most one per `minUpdateIntervalMs` (2 s by default; a storm adds members many
 *   times a second), each rendering what is stored then, each taking from the workspace's Tier 3 chat.update
 *   budget that incident messages use too (slack-pacing.ts), so a storm is never answered with 429;
 * - an edit is skipped when the message already shows the stored version (another process edited it).
 * https://api.slack.com/methods/chat.update
 */
import type { WebClient } from '@slack/web-api';
import { buildDigestMessage } from '../blocks/digest-message.js';
import type { Digest } from '../domain/digest.js';
import type { Logger } from '../logger.js';
import type { PublisherBacklog } from '../services/ports/incident-publisher.js';
import { createMessagePoster, type PostClaims } from './slack-incident-posts.js';
import { DIGEST_MESSAGE_EVENT, digestMessageMetadata, type MessageLookup } from './slack-message-lookup.js';
import type { PostGate, RateBudget } from './slack-pacing.js';
import { armEdit, editNow, PERMANENT_SLACK_ERRORS, slackErrorCode } from './slack-publisher-state.js';

export interface DigestSource {
  load(id: string): Promise<Digest | undefined>;
  /** Records the digest's message, rendered from version `rendered` (unless one is recorded). */
  attach(id: string, slack: { channel: string; ts: string }, rendered: number): Promise<unknown>;
  /** Records that the message shows `version`. */
  shown(id: string, version: number): Promise<void>;
  /** Who posts a digest across processes (keys distinct from the incidents' claims). */
  postClaims: PostClaims;
}

export interface DigestPublisher {
  sync(id: string, options?: { recovering?: boolean }): void;
  /** Runs what waits for its interval now, until every digest is quiet. */
  drain(): Promise<void>;
  /** What is still to do: digests not posted, digests not edited. */
  backlog(): Pick<PublisherBacklog, 'posts' | 'edits'>;
  /** Forgets the timers (shutdown: the signal has fired). */
  stop(): void;
}

interface DigestState {
  chain: Promise<void>;
  dirty: boolean;
  running: boolean;
  timer: NodeJS.Timeout | undefined;
  lastEditAt: number;
  failures: number;
  posted: boolean;
  recovering: boolean;
}

const MAX_FAILURES = 5;

export function createDigestPublisher(deps: {
  client: WebClient;
  channel: string;
  source: DigestSource;
  posts: PostGate;
  updates: RateBudget;
  lookup: MessageLookup;
  signal: AbortSignal;
  logger: Logger;
  minUpdateIntervalMs: number;
  retryDelayMs: number;
}): DigestPublisher {
  const { client, source, signal, logger } = deps;
  const states = new Map<string, DigestState>();
  const poster = createMessagePoster<Digest>({
    client,
    channel: deps.channel,
    kind: {
      name: 'digest',
      render: buildDigestMessage,
      metadata: digestMessageMetadata,
      find: (digest) =>
        deps.lookup.findTagged({
          eventType: DIGEST_MESSAGE_EVENT,
          payloadKey: 'digest_id',
          id: digest.id,
          since: digest.minute,
        }),
      wanted: (digest) => digest.count > 0,
    },
    load: source.load,
    attach: async (id, slack, rendered) => {
      await source.attach(id, slack, rendered);
    },
    postClaims: source.postClaims,
    posts: deps.posts,
    logger,
    pollMs: Math.max(deps.minUpdateIntervalMs, 10),
    adopted: (id) => sync(id),
  });

  const state = (id: string): DigestState => {
    let s = states.get(id);
    if (!s) {
      s = {
        chain: Promise.resolve(),
        dirty: false,
        running: false,
        timer: undefined,
        lastEditAt: 0,
        failures: 0,
        posted: false,
        recovering: false,
      };
      states.set(id, s);
    }
    return s;
  };

  /** Posts the digest if it has no message, then edits it if the message is behind what is stored. */
  async function show(id: string, s: DigestState): Promise<void> {
    let digest = await source.load(id);
    if (!digest || digest.count === 0) return;
    if (!digest.slack) {
      const posted = await poster.ensurePosted(id, digest, { recovering: s.recovering });
      if (!posted?.slack) return;
      s.posted = true;
      // What was posted is what was stored at the post's turn; members that joined since (here or in another
      // process, which waited for this post) are shown by the edit below.
      digest = await source.load(id);
      if (!digest?.slack) return;
    }
    s.posted = true;
    if ((digest.slackShownVersion ?? 0) >= digest.version) return;
    // Members joining while this waits for the budget are part of this edit: it reads the digest afterwards.
    await deps.updates.take();
    const current = (await source.load(id)) ?? digest;
    const slack = current.slack ?? digest.slack;
    if (!slack) return;
    const message = buildDigestMessage(current);
    await client.chat.update({
      channel: slack.channel,
      ts: slack.ts,
      text: message.text,
      blocks: message.blocks,
    });
    await source.shown(id, current.version);
  }

  /** Forgets a quiet digest's state once its last edit is an interval ago (a fresh state may edit at once). */
  function forgetWhenIdle(id: string, s: DigestState): void {
    const forget = setTimeout(() => {
      if (states.get(id) === s && !s.dirty && !s.running && s.timer === undefined) states.delete(id);
    }, deps.minUpdateIntervalMs);
    forget.unref();
  }

  function schedule(id: string, delayMs?: number): void {
    const options = { closing: signal.aborted, minUpdateIntervalMs: deps.minUpdateIntervalMs, delayMs };
    armEdit(state(id), options, () => run(id));
  }

  function run(id: string): void {
    const s = state(id);
    if (!s.dirty) return;
    s.running = true;
    s.dirty = false;
    let retryIn: number | undefined;
    s.chain = s.chain
      .then(async () => {
        signal.throwIfAborted();
        await show(id, s);
        s.failures = 0;
        s.recovering = false;
      })
      .catch((error: unknown) => {
        if (signal.aborted) return;
        const code = slackErrorCode(error);
        s.failures += 1;
        logger.error({ err: error, digest: id, slackError: code }, 'Slack call for a storm digest failed');
        if ((code !== undefined && PERMANENT_SLACK_ERRORS.has(code)) || s.failures > MAX_FAILURES) return;
        // Try again later with what is stored then; nothing is lost, only delayed.
        s.dirty = true;
        retryIn = deps.retryDelayMs * s.failures;
      })
      .finally(() => {
        s.running = false;
        s.lastEditAt = Date.now();
        if (s.dirty) schedule(id, retryIn);
        else forgetWhenIdle(id, s);
      });
  }

  function sync(id: string, options?: { recovering?: boolean }): void {
    if (signal.aborted) return;
    const s = state(id);
    if (options?.recovering === true) s.recovering = true;
    s.dirty = true;
    schedule(id);
  }

  return {
    sync,

    async drain() {
      for (let round = 0; round < 10 && !signal.aborted; round += 1) {
        for (const [id, s] of states) editNow(s, () => run(id));
        await Promise.all([...states.values()].map((s) => s.chain));
        if (![...states.values()].some((s) => s.timer !== undefined || s.running)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },

    backlog() {
      const left = { posts: 0, edits: 0 };
      for (const s of states.values()) {
        if (!s.dirty && !s.running && s.timer === undefined) continue;
        if (s.posted) left.edits += 1;
        else left.posts += 1;
      }
      return left;
    },

    stop() {
      for (const s of states.values()) clearTimeout(s.timer);
    },
  };
}
