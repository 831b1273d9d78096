/**
 * The IncidentPublisher on Slack's Web API. Slack allows about one chat.postMessage per second per channel
 * and chat.update is Tier 3 (about 50 a minute), so:
 * - each incident has its own ordered chain: post the message once, then thread replies in order;
 * - edits are coalesced: however many changes arrive, a message is edited at most once per
 *   `minUpdateIntervalMs`, and each edit renders the latest stored incident, so the final count is exact;
 * - posts (top-level and replies) to one channel are spaced by `channelPostIntervalMs`, counted from the end of
 *   the previous post, and all edits share a Tier 3 budget of `updatesPerMinute` (slack-pacing.ts), so a storm
 *   over many incidents is never answered with 429: it only makes each message's edits rarer.
 * Posting once, across processes and crashes, is slack-incident-posts.ts; a message that has gone is posted again
 * (slack-message-gone.ts). After each edit the store is told which version the message shows, so a restart finds
 * the edits a shutdown or a crash left (`close`, resync). Storm digests share the channel's post pacing and the edit budget (slack-digest-publisher.ts); an incident a
 * digest shows has no message, so its changes cost no Slack call.
 * https://api.slack.com/methods/chat.postMessage#rate_limiting · https://api.slack.com/methods/chat.update
 */
import { buildIncidentMessage } from '../blocks/incident-message.js';
import { withoutOwnMessage } from '../domain/silence.js';
import type { IncidentPublisher } from '../services/ports/incident-publisher.js';
import { noMetrics } from '../services/ports/metrics.js';
import { createIncidentPoster, inProcessPostClaims, NO_MESSAGE_YET } from './slack-incident-posts.js';
import { createDigestPublisher } from './slack-digest-publisher.js';
import { createMessageLookup } from './slack-message-lookup.js';
import { createGoneMessageHandler } from './slack-message-gone.js';
import { createPostGate, createRateBudget } from './slack-pacing.js';
import {
  backlogOf,
  isIdle,
  newIncidentState,
  PERMANENT_SLACK_ERRORS,
  armEdit,
  editNow,
  publisherMetrics,
  slackErrorCode,
  type IncidentState,
} from './slack-publisher-state.js';
import type { SlackIncidentPublisherOptions } from './slack-publisher-options.js';

export { POST_LEASE_SECONDS, POST_ATTEMPT_MEMORY_SECONDS, type PostClaims } from './slack-incident-posts.js';

export type { SlackIncidentPublisherOptions } from './slack-publisher-options.js';

/**
 * Edit intervals a process that did not open an incident waits for the opener's message before it posts one
 * itself (the opener may have crashed between creating the incident and posting).
 */
const WAITS_FOR_POST = 10;

export function createSlackIncidentPublisher(options: SlackIncidentPublisherOptions): IncidentPublisher {
  const { client, logger } = options;
  const minUpdateIntervalMs = options.minUpdateIntervalMs ?? 1_000;
  const channelPostIntervalMs = options.channelPostIntervalMs ?? 1_000;
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const states = new Map<string, IncidentState>();
  // Fires when a shutdown's grace period is over: every wait for a post or edit slot ends, nothing more is sent.
  const closing = new AbortController();
  let closed = false;
  const posts = createPostGate(channelPostIntervalMs, closing.signal);
  const updates = createRateBudget({
    perMinute: options.updatesPerMinute ?? 50,
    burst: options.updateBurst ?? 10,
    signal: closing.signal,
  });
  const metrics = options.metrics ?? noMetrics;
  const lookup = createMessageLookup({ client, channel: options.channel, logger });
  const poster = createIncidentPoster({
    client,
    channel: options.channel,
    load: options.load,
    attach: options.attach,
    postClaims: options.postClaims ?? inProcessPostClaims(),
    posts,
    lookup,
    logger,
    pollMs: Math.max(minUpdateIntervalMs, 10),
    adopted: (id) => markDirty(id),
  });
  // A Slack call on a message that has gone is answered with a fresh message (slack-message-gone.ts), once.
  const orRepost = createGoneMessageHandler({ ...options, posts });
  const { failures, retries } = publisherMetrics(metrics, states);
  const digests =
    options.digests &&
    createDigestPublisher({
      client,
      channel: options.channel,
      source: options.digests,
      posts,
      updates,
      lookup,
      signal: closing.signal,
      logger,
      minUpdateIntervalMs: options.digestUpdateIntervalMs ?? 2_000,
      retryDelayMs,
    });

  const state = (id: string): IncidentState => {
    let s = states.get(id);
    if (!s) {
      s = newIncidentState();
      states.set(id, s);
    }
    return s;
  };

  async function edit(id: string): Promise<void> {
    const s = state(id);
    if (!s.posted) {
      // The incident's opener knows it has no message yet; anyone else reads first.
      const known = s.poster ? NO_MESSAGE_YET : await options.load(id);
      if (!known) return;
      if (known !== NO_MESSAGE_YET && withoutOwnMessage(known)) return; // its digest shows it, or it is silenced
      if (known === NO_MESSAGE_YET || !known.slack) {
        if (!s.poster && s.waitsForPost < WAITS_FOR_POST) {
          // The opener is posting it; try this edit again an interval later, with what is stored then.
          s.waitsForPost += 1;
          s.lastEditAt = Date.now();
          s.dirty = true;
          return;
        }
        s.dirty = false;
        const posted = await poster.ensurePosted(id, known, { recovering: s.recovering });
        s.posted = posted?.slack !== undefined;
        s.lastEditAt = Date.now();
        return;
      }
      s.posted = true;
    }
    // Changes made while waiting for the budget are part of this edit: it reads the incident afterwards.
    await updates.take();
    s.dirty = false;
    const incident = await options.load(id);
    if (!incident?.slack) return;
    const { text, blocks, attachments } = buildIncidentMessage(incident);
    // A fresh message for a gone one shows the incident as it is now: it counts as this edit.
    const { channel, ts } = incident.slack;
    await client.chat.update({ channel, ts, text, blocks, attachments }).catch(orRepost(id, { channel, ts }));
    s.lastEditAt = Date.now();
    await options.shown?.(id, incident.version);
  }

  /**
   * Forgets an incident's state once idle for an edit interval (not sooner: a state made afresh could edit at once),
   * so a long-running process keeps none per incident it ever showed. Only a cache is lost.
   */
  function forgetWhenIdle(id: string, s: IncidentState): void {
    if (s.forget !== undefined) return;
    s.forget = setTimeout(() => {
      s.forget = undefined;
      if (states.get(id) !== s || !isIdle(s)) return;
      if (Date.now() - s.lastEditAt < minUpdateIntervalMs) forgetWhenIdle(id, s);
      else states.delete(id);
    }, minUpdateIntervalMs);
    s.forget.unref();
  }

  function enqueue(id: string, work: () => Promise<void>, what: 'edit' | 'reply'): void {
    const s = state(id);
    s.pending += 1;
    if (what === 'reply') s.replies += 1;
    s.chain = s.chain.then(async () => {
      try {
        closing.signal.throwIfAborted();
        await work();
        s.failures = 0;
        if (what === 'reply') s.replies -= 1;
      } catch (error) {
        // Abandoned at shutdown: counted by `close`, finished (or dropped) as the port says.
        if (closing.signal.aborted) return;
        if (what === 'reply') s.replies -= 1;
        const code = slackErrorCode(error);
        s.failures += 1;
        logger.error({ err: error, incident: id, what, slackError: code }, 'Slack call failed');
        const permanent = code !== undefined && PERMANENT_SLACK_ERRORS.has(code);
        failures.inc({ permanent: String(permanent) });
        if (permanent) return;
        if (s.failures <= 5) {
          retries.inc();
          // Try again later with what is stored then; nothing is lost, only delayed.
          s.dirty = true;
          schedule(id, retryDelayMs * s.failures);
        }
      } finally {
        s.pending -= 1;
        if (isIdle(s)) forgetWhenIdle(id, s);
      }
    });
  }

  function schedule(id: string, delayMs?: number): void {
    const options = { closing: closing.signal.aborted, minUpdateIntervalMs, delayMs };
    armEdit(state(id), options, () => run(id));
  }

  function run(id: string): void {
    const s = state(id);
    if (!s.dirty) {
      if (isIdle(s)) forgetWhenIdle(id, s);
      return;
    }
    s.running = true;
    enqueue(id, () => edit(id), 'edit');
    void s.chain.then(() => {
      s.running = false;
      if (s.dirty) schedule(id);
      else if (isIdle(s)) forgetWhenIdle(id, s);
    });
  }

  function markDirty(id: string): void {
    const s = state(id);
    s.dirty = true;
    schedule(id);
  }

  /** Runs whatever waits for its interval now, until every chain is quiet (or the publisher is closed). */
  async function drain(): Promise<void> {
    for (let round = 0; round < 10 && !closing.signal.aborted; round += 1) {
      for (const [id, s] of states) editNow(s, () => run(id));
      const chains = [...states.values()].map((s) => s.chain);
      await Promise.all(chains);
      const busy = [...states.values()].some((s) => s.timer !== undefined || s.running);
      if (!busy) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  return {
    sync(id, syncOptions) {
      if (closed) return;
      const s = state(id);
      if (syncOptions?.poster === true) s.poster = true;
      if (syncOptions?.recovering === true) s.recovering = true;
      markDirty(id);
    },

    reply(id, text) {
      if (closed) return;
      enqueue(
        id,
        async () => {
          const incident = await poster.ensurePosted(id, undefined, { recovering: state(id).recovering });
          const slack = incident?.slack;
          if (!slack) return;
          const send = (to: { channel: string; ts: string }) =>
            posts.send(to.channel, () =>
              client.chat.postMessage({ channel: to.channel, thread_ts: to.ts, text, unfurl_links: false }),
            );
          // The thread has gone with its message: the reply goes to the fresh message's thread.
          await send(slack).catch(async (error: unknown) => {
            const fresh = (await orRepost(id, slack)(error))?.slack;
            if (fresh) await send(fresh);
          });
        },
        'reply',
      );
    },

    syncDigest(id, syncOptions) {
      if (!closed) digests?.sync(id, syncOptions);
    },

    flush: async () => {
      await Promise.all([drain(), digests?.drain()]);
    },

    async close(deadline) {
      closed = true;
      const timeLeft = deadline - Date.now();
      const drainAll = () => Promise.all([drain(), digests?.drain()]);
      if (!Number.isFinite(deadline)) await drainAll();
      else if (timeLeft > 0) {
        let timer: NodeJS.Timeout | undefined;
        const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeLeft)));
        await Promise.race([drainAll(), graceOver]);
        clearTimeout(timer);
      }
      // Counted before the abort: work in flight now is left too, since its outcome will not be waited for.
      const left = backlogOf(states.values());
      const digestsLeft = digests?.backlog();
      if (digestsLeft) {
        left.posts += digestsLeft.posts;
        left.edits += digestsLeft.edits;
      }
      closing.abort(new Error('the Slack publisher was closed'));
      digests?.stop();
      for (const s of states.values()) {
        clearTimeout(s.timer);
        clearTimeout(s.forget);
      }
      return left;
    },
  };
}
