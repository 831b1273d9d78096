/**
 * The IncidentPublisher on Slack's Web API. Slack allows about one chat.postMessage per second per channel
 * and chat.update is Tier 3 (about 50 a minute), so:
 * - each incident has its own ordered chain: post the message once, then thread replies in order;
 * - edits are coalesced: however many changes arrive, a message is edited at most once per
 *   `minUpdateIntervalMs`, and each edit renders the latest stored incident, so the final count is exact;
 * - posts (top-level and replies) to one channel are spaced by `channelPostIntervalMs`, counted from the end of
 *   the previous post, and all edits share a Tier 3 budget of `updatesPerMinute` (slack-pacing.ts), so a storm
 *   over many incidents is never answered with 429: it only makes each message's edits rarer.
 * https://api.slack.com/methods/chat.postMessage#rate_limiting · https://api.slack.com/methods/chat.update
 */
import type { WebClient } from '@slack/web-api';
import { buildIncidentMessage } from '../blocks/incident-message.js';
import type { Incident } from '../domain/incident.js';
import type { Logger } from '../logger.js';
import type { IncidentPublisher } from '../services/ports/incident-publisher.js';
import { noMetrics, type Metrics } from '../services/ports/metrics.js';
import { createPostGate, createRateBudget } from './slack-pacing.js';

export interface SlackIncidentPublisherOptions {
  client: WebClient;
  /** Channel id or name new incidents are posted to. */
  channel: string;
  load(id: string): Promise<Incident | undefined>;
  /** Records where the message was posted (a conditional write on the incident). */
  attach(id: string, slack: { channel: string; ts: string }): Promise<void>;
  logger: Logger;
  minUpdateIntervalMs?: number;
  channelPostIntervalMs?: number;
  /** chat.update calls per minute over all messages (Slack's Tier 3: 50), and how many may go at once. */
  updatesPerMinute?: number;
  updateBurst?: number;
  /** Wait after a failed Slack call before trying that incident again. */
  retryDelayMs?: number;
  /** Failed calls, retries and the backlog for `GET /metrics`. */
  metrics?: Metrics;
  /**
   * Who posts an incident's message, when several processes could: `claim` is a durable conditional write that
   * one process wins for `POST_LEASE_SECONDS` (the dedup table), `release` gives it up after a failed post.
   * Without it, this process assumes it is the only one.
   */
  postClaims?: PostClaims;
}

export interface PostClaims {
  claim(incidentId: string, leaseSeconds: number): Promise<boolean>;
  release(incidentId: string): Promise<void>;
}

/**
 * How long the process that claimed an incident's post has to post it before another may take over (it crashed
 * between its claim and recording the message). Longer than the Web API client's retries of one call (about
 * 30 s), so a slow post is never doubled; a crash at that moment delays the message by at most this.
 */
export const POST_LEASE_SECONDS = 120;

interface IncidentState {
  chain: Promise<void>;
  dirty: boolean;
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  lastEditAt: number;
  failures: number;
  /** Known to have its message (edits then skip the read that checks). */
  posted: boolean;
  /** This process posts the message (it opened the incident, or recovers it); see IncidentPublisher.sync. */
  poster: boolean;
  /** Edits that found no message yet and waited for the poster. */
  waitsForPost: number;
  /** Posts, edits and replies queued on `chain` and not finished. */
  pending: number;
  /** Set while the state waits to be forgotten (see forgetWhenIdle). */
  forget: NodeJS.Timeout | undefined;
}

/**
 * Edit intervals a process that did not open an incident waits for the opener's message before it posts one
 * itself (the opener may have crashed between creating the incident and posting).
 */
const WAITS_FOR_POST = 10;
/** What the opener of an incident knows before its message is posted (see ensurePosted). */
const NO_MESSAGE_YET = Symbol('no message yet');

/** Errors that no retry fixes: log them once and stop trying that incident. */
const PERMANENT = new Set([
  'channel_not_found',
  'invalid_blocks',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'msg_too_long',
]);

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function createSlackIncidentPublisher(options: SlackIncidentPublisherOptions): IncidentPublisher {
  const { client, logger } = options;
  const minUpdateIntervalMs = options.minUpdateIntervalMs ?? 1_000;
  const channelPostIntervalMs = options.channelPostIntervalMs ?? 1_000;
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const states = new Map<string, IncidentState>();
  const posts = createPostGate(channelPostIntervalMs);
  const updates = createRateBudget({
    perMinute: options.updatesPerMinute ?? 50,
    burst: options.updateBurst ?? 10,
  });
  const metrics = options.metrics ?? noMetrics;
  const postClaims: PostClaims = options.postClaims ?? {
    claim: () => Promise.resolve(true),
    release: () => Promise.resolve(),
  };
  const failures = metrics.counter(
    'hikeshi_slack_publisher_failures_total',
    'Incident posts, edits and replies that failed after the Web API client gave up, by kind (permanent: not retried).',
  );
  const retries = metrics.counter(
    'hikeshi_slack_publisher_retries_total',
    'Times the publisher scheduled an incident for another try after a failed Slack call.',
  );
  failures.inc({ permanent: 'false' }, 0);
  failures.inc({ permanent: 'true' }, 0);
  retries.inc(undefined, 0);
  metrics.collect(
    'hikeshi_slack_publisher_tracked_incidents',
    'Incidents the Slack publisher keeps state for: busy ones, and idle ones for one edit interval.',
    () => [{ value: states.size }],
  );
  metrics.collect(
    'hikeshi_slack_publisher_backlog',
    'Incidents with a Slack post, edit or reply waiting or under way.',
    () => [
      {
        value: [...states.values()].filter((s) => s.dirty || s.running || s.timer !== undefined).length,
      },
    ],
  );

  const state = (id: string): IncidentState => {
    let s = states.get(id);
    if (!s) {
      s = {
        chain: Promise.resolve(),
        dirty: false,
        timer: undefined,
        running: false,
        lastEditAt: 0,
        failures: 0,
        posted: false,
        poster: false,
        waitsForPost: 0,
        pending: 0,
        forget: undefined,
      };
      states.set(id, s);
    }
    return s;
  };

  /** Posts one message: only the holder of the incident's post claim does (see `postClaims`). */
  async function postOnce(id: string): Promise<Incident | undefined | 'claimed elsewhere'> {
    // Read once it is our turn: what is posted is what is stored now, not when we queued.
    const fresh = await options.load(id);
    if (!fresh || fresh.slack) return fresh;
    if (!(await postClaims.claim(id, POST_LEASE_SECONDS))) return 'claimed elsewhere';
    try {
      const message = buildIncidentMessage(fresh);
      const result = await client.chat.postMessage({
        channel: options.channel,
        text: message.text,
        blocks: message.blocks,
        attachments: message.attachments,
        unfurl_links: false,
      });
      const slack = { channel: String(result.channel), ts: String(result.ts) };
      await options.attach(id, slack);
      logger.debug({ incident: id, ...slack }, 'incident message posted');
      return { ...fresh, slack };
    } catch (error) {
      // Nothing was recorded: let the next try, here or in another process, post it.
      await postClaims.release(id).catch((releaseError: unknown) => {
        logger.warn({ err: releaseError, incident: id }, 'could not release the post claim; it expires');
      });
      throw error;
    }
  }

  /**
   * Posts the incident's message unless it has one. `known` is what the caller just read (saving a read), or
   * NO_MESSAGE_YET from the incident's opener: its incident is then read only when the post's turn comes
   * (postOnce), since a read made while queueing behind the channel's post pacing would be thrown away. When
   * another process holds the post claim, waits for its message (a reply needs its ts), and takes over once the
   * claim has expired.
   */
  async function ensurePosted(
    id: string,
    known?: Incident | typeof NO_MESSAGE_YET,
  ): Promise<Incident | undefined> {
    const pollMs = Math.max(minUpdateIntervalMs, 10);
    const maxPolls = Math.ceil((POST_LEASE_SECONDS * 1000) / pollMs) + 2;
    let incident: Incident | undefined;
    if (known !== NO_MESSAGE_YET) {
      incident = known ?? (await options.load(id));
      if (!incident) return undefined;
    }
    for (let poll = 0; !incident?.slack && poll <= maxPolls; poll += 1) {
      const outcome = await posts.send(options.channel, () => postOnce(id));
      if (outcome !== 'claimed elsewhere') return outcome;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      incident = await options.load(id);
      if (!incident) return undefined;
    }
    return incident;
  }

  async function edit(id: string): Promise<void> {
    const s = state(id);
    if (!s.posted) {
      // The incident's opener knows it has no message yet; anyone else reads first.
      const known = s.poster ? NO_MESSAGE_YET : await options.load(id);
      if (!known) return;
      if (known === NO_MESSAGE_YET || !known.slack) {
        if (!s.poster && s.waitsForPost < WAITS_FOR_POST) {
          // The opener is posting it; try this edit again an interval later, with what is stored then.
          s.waitsForPost += 1;
          s.lastEditAt = Date.now();
          s.dirty = true;
          return;
        }
        s.dirty = false;
        s.posted = (await ensurePosted(id, known))?.slack !== undefined;
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
    const message = buildIncidentMessage(incident);
    await client.chat.update({
      channel: incident.slack.channel,
      ts: incident.slack.ts,
      text: message.text,
      blocks: message.blocks,
      attachments: message.attachments,
    });
    s.lastEditAt = Date.now();
  }

  const isIdle = (s: IncidentState) => s.pending === 0 && !s.dirty && !s.running && s.timer === undefined;

  /**
   * Forgets an incident's state once it has been idle for an edit interval, so a long-running process does not
   * keep one per incident it ever showed. Not sooner: a state made afresh could edit at once, and the message's
   * last edit must be an interval ago by then. What is lost is only a cache (whether the message exists).
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

  function enqueue(id: string, work: () => Promise<void>, what: string): void {
    const s = state(id);
    s.pending += 1;
    s.chain = s.chain.then(async () => {
      try {
        await work();
        s.failures = 0;
      } catch (error) {
        const code = slackErrorCode(error);
        s.failures += 1;
        logger.error({ err: error, incident: id, what, slackError: code }, 'Slack call failed');
        const permanent = code !== undefined && PERMANENT.has(code);
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

  function schedule(id: string, delayOverride?: number): void {
    const s = state(id);
    if (s.timer || s.running) return;
    const wait = delayOverride ?? Math.max(0, s.lastEditAt + minUpdateIntervalMs - Date.now());
    s.timer = setTimeout(() => run(id), wait);
  }

  function run(id: string): void {
    const s = state(id);
    s.timer = undefined;
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

  return {
    sync(id, syncOptions) {
      const s = state(id);
      if (syncOptions?.poster === true) s.poster = true;
      s.dirty = true;
      schedule(id);
    },

    reply(id, text) {
      enqueue(
        id,
        async () => {
          const incident = await ensurePosted(id);
          const slack = incident?.slack;
          if (!slack) return;
          await posts.send(slack.channel, () =>
            client.chat.postMessage({
              channel: slack.channel,
              thread_ts: slack.ts,
              text,
              unfurl_links: false,
            }),
          );
        },
        'reply',
      );
    },

    async flush() {
      // Run anything waiting for its interval now, then wait until every chain is quiet.
      for (let round = 0; round < 10; round += 1) {
        for (const [id, s] of states) {
          if (s.timer) {
            clearTimeout(s.timer);
            run(id);
          }
        }
        const chains = [...states.values()].map((s) => s.chain);
        await Promise.all(chains);
        const busy = [...states.values()].some((s) => s.timer !== undefined || s.running);
        if (!busy) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
