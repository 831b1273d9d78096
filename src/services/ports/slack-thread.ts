/**
 * Slack thread port: what the analysis and report services need from Slack, and nothing more. They post a
 * placeholder reply ("Analysing…"), edit it as the answer streams in, read the thread for context, and link
 * to it. The incident message itself belongs to the IncidentPublisher; this port only touches replies.
 */

/** A message as posted: mrkdwn `text` (the notification fallback) and optional Block Kit blocks. */
export type { ThreadText } from '../../blocks/kit.js';
import type { ThreadText } from '../../blocks/kit.js';

export interface ThreadMessage {
  ts: string;
  /** The author's user id; absent for some bot and system messages. */
  user?: string;
  /** Set when a bot (Hikeshi included) posted it. */
  botId?: string;
  text: string;
}

export interface SlackThread {
  /** Posts a reply in the thread of `threadTs`; resolves to the reply's ts. */
  post(channel: string, threadTs: string, message: ThreadText): Promise<string>;
  /** Replaces a message Hikeshi posted. */
  update(channel: string, ts: string, message: ThreadText): Promise<void>;
  /** The whole thread, parent first, oldest to newest, every page read. */
  replies(channel: string, threadTs: string): Promise<ThreadMessage[]>;
  /** A link to the message; undefined when Slack cannot give one. */
  permalink(channel: string, ts: string): Promise<string | undefined>;
  /** The person's real name (else display name); undefined when unknown (a bot, a deleted user, no users:read). */
  userName(userId: string): Promise<string | undefined>;
}
