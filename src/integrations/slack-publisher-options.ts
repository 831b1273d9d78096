/**
 * The settings of the Slack incident publisher (slack-incident-publisher.ts): where it posts, how it reads and
 * records incidents and storm digests, and its pacing (defaults: Slack's limits).
 */
import type { WebClient } from '@slack/web-api';
import type { Incident } from '../domain/incident.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../services/ports/metrics.js';
import type { DigestSource } from './slack-digest-publisher.js';
import type { PostClaims } from './slack-incident-posts.js';

export interface SlackIncidentPublisherOptions {
  client: WebClient;
  /** Channel id or name new incidents are posted to. */
  channel: string;
  load(id: string): Promise<Incident | undefined>;
  /** Records where the message was posted, rendered from version `rendered` (a conditional write on the incident). */
  attach(id: string, slack: { channel: string; ts: string }, rendered: number): Promise<void>;
  /**
   * Records a fresh message in place of one that has gone (deleted, or its channel archived), while the incident
   * still names the gone one (slack-message-gone.ts). Without it, a gone message is a permanent failure.
   */
  replace?(
    id: string,
    gone: { channel: string; ts: string },
    slack: { channel: string; ts: string },
    rendered: number,
  ): Promise<boolean>;
  /** Records that the message now shows `version` (after an edit); a restart edits messages left behind. */
  shown?(id: string, version: number): Promise<void>;
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
   * Who posts an incident's message, when several processes could, and whether a post went out before
   * (slack-incident-posts.ts; durable, in the dedup table). Without it, this process assumes it is the only one.
   */
  postClaims?: PostClaims;
  /** Storm digests: where they are stored. Without it, none is shown. */
  digests?: DigestSource;
  /** Least time between two edits of one digest (default 2 s): a storm adds to it many times a second. */
  digestUpdateIntervalMs?: number;
}
