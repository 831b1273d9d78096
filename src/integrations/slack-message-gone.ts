/**
 * A message that has gone is posted again. Someone may delete an incident's message, or archive its channel;
 * Slack then answers an edit with `message_not_found` (or `channel_not_found` / `is_archived`) and a thread reply
 * with `thread_not_found`. Retrying the same call answers the same, forever (issue 21: 120 log lines in a few
 * minutes), so the publisher posts a fresh message for the incident in the configured channel, records its
 * `ts` in place of the gone one, and logs it once. A failure of that post (the configured channel itself is
 * archived) is an ordinary failure: permanent ones stop, so nothing loops.
 * https://docs.slack.dev/reference/methods/chat.update#errors · …/chat.postMessage#errors
 */
import type { WebClient } from '@slack/web-api';
import { buildIncidentMessage } from '../blocks/incident-message.js';
import type { Incident } from '../domain/incident.js';
import type { Logger } from '../logger.js';
import { incidentMessageMetadata } from './slack-message-lookup.js';
import type { PostGate } from './slack-pacing.js';
import { slackErrorCode } from './slack-publisher-state.js';

/** What Slack answers for a message or thread that is no longer there to edit or reply to. */
export const GONE_MESSAGE_ERRORS = new Set([
  'message_not_found',
  'thread_not_found',
  'channel_not_found',
  'is_archived',
]);

export function isGoneMessageError(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== undefined && GONE_MESSAGE_ERRORS.has(code);
}

export interface MessageReposterDeps {
  client: WebClient;
  /** The configured channel (id or name): fresh messages go there. */
  channel: string;
  posts: PostGate;
  load(id: string): Promise<Incident | undefined>;
  replace(
    id: string,
    gone: { channel: string; ts: string },
    slack: { channel: string; ts: string },
    rendered: number,
  ): Promise<boolean>;
  logger: Logger;
}

export type MessageReposter = (
  id: string,
  gone: { channel: string; ts: string },
  error: unknown,
) => Promise<Incident | undefined>;

/** Posts a fresh message for the incident whose message `gone` has gone; answers the incident with it. */
export function createMessageReposter(deps: MessageReposterDeps): MessageReposter {
  return async (id, gone, error) => {
    const incident = await deps.load(id);
    if (!incident) return undefined;
    // Replaced already (by another process, or an earlier call here): use that one.
    if (incident.slack && (incident.slack.ts !== gone.ts || incident.slack.channel !== gone.channel)) {
      return incident;
    }
    const message = buildIncidentMessage(incident);
    const result = await deps.posts.send(deps.channel, () =>
      deps.client.chat.postMessage({
        channel: deps.channel,
        text: message.text,
        blocks: message.blocks,
        ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
        unfurl_links: false,
        metadata: incidentMessageMetadata(incident),
      }),
    );
    const slack = { channel: String(result.channel), ts: String(result.ts) };
    deps.posts.alias(deps.channel, slack.channel);
    const replaced = await deps.replace(id, gone, slack, incident.version);
    // Another process replaced it first: its message stays, this one goes.
    if (!replaced) await deps.client.chat.delete(slack).catch(() => undefined);
    deps.logger.warn(
      { incident: id, gone, posted: slack, slackError: slackErrorCode(error), replaced },
      'the incident’s Slack message has gone (deleted, or its channel archived): posted a fresh one',
    );
    return (await deps.load(id)) ?? { ...incident, slack };
  };
}

/**
 * `call().catch(orRepost(id, gone))`: a gone message's error is answered with the incident and its fresh message;
 * any other error is thrown on. Without `replace` (a publisher that cannot record one), nothing is reposted.
 */
export function createGoneMessageHandler(
  deps: Omit<MessageReposterDeps, 'replace'> & { replace?: MessageReposterDeps['replace'] | undefined },
) {
  const { replace } = deps;
  const repost = replace && createMessageReposter({ ...deps, replace });
  return (id: string, gone: { channel: string; ts: string }) =>
    async (error: unknown): Promise<Incident | undefined> => {
      if (!repost || !isGoneMessageError(error)) throw error;
      return repost(id, gone, error);
    };
}
