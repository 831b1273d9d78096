/** chat.* methods: https://docs.slack.dev/reference/methods/chat.postMessage and siblings. */
import { SlackApiError } from './api-error.js';
import { bool, str } from './json.js';
import { readMetadata, warningFields } from './message-metadata.js';
import { readMessageContent, toSlackMessage } from './messages.js';
import type { MethodContext, MethodTable } from './method-types.js';
import type { JsonObject, SlackChannel, StoredMessage } from './types.js';

/** The channel named by `key` (shared by methods whose argument names differ). */
export function requireChannel(ctx: MethodContext, key = 'channel'): SlackChannel {
  const ref = str(ctx.args as JsonObject, key);
  const channel = ref === undefined || ref === '' ? undefined : ctx.workspace.channel(ref);
  if (!channel) throw new SlackApiError('channel_not_found');
  return channel;
}

function requireMessage(ctx: MethodContext, channel: SlackChannel, key: string): StoredMessage {
  const ts = str(ctx.args as JsonObject, key);
  const message = ts === undefined ? undefined : ctx.workspace.message(channel.id, ts);
  if (!message) throw new SlackApiError('message_not_found');
  return message;
}

/**
 * Slack's permalink form, on the workspace's address. Where the emulator's page is served (`pageUrl`), the link
 * opens the message there instead: Slack's own links lead to the workspace a person can see.
 */
export function permalink(
  teamDomain: string,
  channel: string,
  message: StoredMessage,
  pageUrl?: string,
): string {
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  if (pageUrl !== undefined) {
    const thread = message.thread_ts ?? message.ts;
    return `${pageUrl.replace(/\/$/, '')}/#channel=${channel}&ts=${message.ts}&thread_ts=${thread}`;
  }
  const base = `https://${teamDomain}.slack.com/archives/${channel}/p${message.ts.replace('.', '')}`;
  return isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base;
}

export const chatMethods: MethodTable = {
  'chat.postMessage': {
    token: 'bot',
    handler(ctx) {
      const channel = requireChannel(ctx);
      if (channel.is_archived) throw new SlackApiError('is_archived');
      if (!channel.is_member) {
        // A private conversation the bot is not in does not exist for it; a public one needs chat:write.public.
        if (channel.is_private) throw new SlackApiError('channel_not_found');
        const scopes = ctx.workspace.scopes;
        if (scopes && !scopes.has('chat:write.public')) throw new SlackApiError('not_in_channel');
      }
      const content = readMessageContent(ctx.args);
      const threadTs = str(ctx.args, 'thread_ts');
      // Slack threads a reply to a reply onto the parent; an unknown parent is a caller bug worth surfacing.
      const parent =
        threadTs === undefined || threadTs === '' ? undefined : ctx.workspace.message(channel.id, threadTs);
      if (threadTs !== undefined && threadTs !== '' && !parent) throw new SlackApiError('thread_not_found');
      const metadata = readMetadata(ctx.args);
      const message = ctx.workspace.postMessage({
        channel: channel.id,
        user: ctx.workspace.bot.userId,
        text: content.text ?? '',
        ...(content.blocks ? { blocks: content.blocks } : {}),
        ...(content.attachments ? { attachments: content.attachments } : {}),
        ...(parent
          ? { threadTs: parent.thread_ts ?? parent.ts, broadcast: bool(ctx.args, 'reply_broadcast') }
          : {}),
        ...(metadata.kind === 'valid' ? { metadata: metadata.metadata } : {}),
        asBot: true,
      });
      return {
        channel: channel.id,
        ts: message.ts,
        message: toSlackMessage(message, ctx.workspace),
        ...warningFields(metadata),
      };
    },
  },
  'chat.update': {
    token: 'bot',
    handler(ctx) {
      const channel = requireChannel(ctx);
      if (channel.is_archived) throw new SlackApiError('is_archived');
      const message = requireMessage(ctx, channel, 'ts');
      if (message.bot_id !== ctx.workspace.bot.botId) throw new SlackApiError('cant_update_message');
      const content = readMessageContent(ctx.args, { require: false });
      if (content.text === undefined && !content.blocks && !content.attachments)
        throw new SlackApiError('no_text');
      ctx.workspace.updateMessage(message, content);
      return {
        channel: channel.id,
        ts: message.ts,
        text: message.text,
        message: toSlackMessage(message, ctx.workspace),
      };
    },
  },
  'chat.delete': {
    token: 'bot',
    handler(ctx) {
      const channel = requireChannel(ctx);
      const message = requireMessage(ctx, channel, 'ts');
      if (message.bot_id !== ctx.workspace.bot.botId) throw new SlackApiError('cant_delete_message');
      ctx.workspace.deleteMessage(channel.id, message.ts);
      return { channel: channel.id, ts: message.ts };
    },
  },
  'chat.postEphemeral': {
    token: 'bot',
    handler(ctx) {
      const channel = requireChannel(ctx);
      const userId = str(ctx.args, 'user');
      if (userId === undefined || !ctx.workspace.user(userId)) throw new SlackApiError('user_not_found');
      const content = readMessageContent(ctx.args);
      const threadTs = str(ctx.args, 'thread_ts');
      const ephemeral = ctx.workspace.postEphemeral({
        channel: channel.id,
        user: userId,
        bot_id: ctx.workspace.bot.botId,
        text: content.text ?? '',
        blocks: content.blocks ?? [],
        attachments: content.attachments ?? [],
        ...(threadTs === undefined || threadTs === '' ? {} : { thread_ts: threadTs }),
      });
      return { message_ts: ephemeral.ts };
    },
  },
  'chat.getPermalink': {
    token: 'bot',
    handler(ctx) {
      const channel = requireChannel(ctx);
      const message = requireMessage(ctx, channel, 'message_ts');
      return {
        channel: channel.id,
        permalink: permalink(ctx.workspace.team.domain, channel.id, message, ctx.workspace.pageUrl),
      };
    },
  },
};
