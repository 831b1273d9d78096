/**
 * Finding an incident's message that was posted but never recorded: the process posted it, then died (or lost
 * Slack's answer) before storing its `ts`. Every incident message carries message metadata naming its incident
 * (https://docs.slack.dev/messaging/message-metadata); conversations.history returns it with
 * `include_all_metadata=true` (https://docs.slack.dev/reference/methods/conversations.history), so the message
 * is found by reading the channel from shortly before the incident opened, and adopted instead of posted twice.
 *
 * - conversations.history takes a channel id, not a name: a SLACK_ALERT_CHANNEL given by name is resolved once
 *   through conversations.list (channels:read; groups:read for a private channel).
 * - Only this app's own messages count (the bot id from auth.test): another app in the channel could post
 *   metadata with the same event type, and a message we cannot edit must never become the incident's.
 * - Scopes: channels:history, or groups:history for a private channel (manifest.json).
 */
import type { WebClient } from '@slack/web-api';
import type { Incident } from '../domain/incident.js';
import type { Logger } from '../logger.js';

/** The `event_type` of every incident message's metadata; the payload names the incident. */
export const INCIDENT_MESSAGE_EVENT = 'hikeshi_incident';

export function incidentMessageMetadata(incident: Pick<Incident, 'id'>): {
  event_type: string;
  event_payload: { incident_id: string };
} {
  return { event_type: INCIDENT_MESSAGE_EVENT, event_payload: { incident_id: incident.id } };
}

/** How far before the incident opened to look: the clocks of Hikeshi and Slack may disagree a little. */
export const LOOKUP_CLOCK_SKEW_SECONDS = 300;
/** conversations.history page size: Slack recommends no more than 200. */
const PAGE_SIZE = 200;
/** A channel this busy since the incident opened is read no further (the search gives up, and posts). */
const MAX_PAGES = 50;

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

export interface MessageLookup {
  /** The message posted for `incident`, if one is in the channel. */
  find(incident: Pick<Incident, 'id' | 'firstSeenAt'>): Promise<{ channel: string; ts: string } | undefined>;
}

export function createMessageLookup(options: {
  client: WebClient;
  /** Channel id or name, as configured. */
  channel: string;
  logger: Logger;
}): MessageLookup {
  const { client, logger } = options;
  async function resolveChannel(): Promise<string | undefined> {
    if (CHANNEL_ID.test(options.channel)) return options.channel;
    const name = options.channel.replace(/^#/, '');
    for await (const page of client.paginate('conversations.list', {
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 1000,
    })) {
      const channels = (page as { channels?: { id?: string; name?: string }[] }).channels ?? [];
      const found = channels.find((c) => c.name === name);
      if (found?.id !== undefined) return found.id;
    }
    logger.warn(
      { channel: options.channel },
      'alert channel not found by name: set SLACK_ALERT_CHANNEL to its id so a re-post can find the earlier message',
    );
    return undefined;
  }

  const channelId = memoised(resolveChannel);
  const botId = memoised(async () => (await client.auth.test()).bot_id);

  return {
    async find(incident) {
      const channel = await channelId();
      const ours = await botId();
      if (channel === undefined) return undefined;
      const oldest = Date.parse(incident.firstSeenAt) / 1000 - LOOKUP_CLOCK_SKEW_SECONDS;
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await client.conversations.history({
          channel,
          oldest: Math.max(0, oldest).toFixed(6),
          include_all_metadata: true,
          limit: PAGE_SIZE,
          ...(cursor === undefined ? {} : { cursor }),
        });
        const found = (result.messages ?? []).find(
          (m) =>
            m.bot_id === ours &&
            m.metadata?.event_type === INCIDENT_MESSAGE_EVENT &&
            (m.metadata.event_payload as Record<string, unknown> | undefined)?.['incident_id'] ===
              incident.id,
        );
        if (found?.ts !== undefined) return { channel, ts: found.ts };
        cursor = result.response_metadata?.next_cursor;
        if (cursor === undefined || cursor === '') return undefined;
      }
      logger.warn(
        { incident: incident.id, pages: MAX_PAGES },
        'gave up looking for an earlier message of the incident: the channel is too busy since it opened',
      );
      return undefined;
    },
  };
}

/** Loads once and keeps the answer; a failure is forgotten, so the next call asks again. */
function memoised<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    }));
}
