/**
 * Reading methods: conversations.*, users.info, auth.test and apps.connections.open. Lists, history and replies
 * paginate with opaque cursors in `response_metadata.next_cursor`, as Slack's cursor pagination does
 * (https://docs.slack.dev/apis/web-api/pagination).
 */
import { SlackApiError } from './api-error.js';
import { requireChannel } from './methods-chat.js';
import { bool, num, str } from './json.js';
import { toSlackMessage } from './messages.js';
import type { MethodContext, MethodTable } from './method-types.js';
import type { WorkspaceIdentity } from './seed.js';
import type { JsonObject, SlackChannel, StoredMessage } from './types.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;

/** An opaque cursor naming the next page's first item (a message ts, or a channel id). */
function encodeCursor(key: string): string {
  return Buffer.from(`next:${key}`).toString('base64');
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith('next:')) throw new SlackApiError('invalid_cursor');
  return decoded.slice('next:'.length);
}

/**
 * One page of `ordered`, starting at the cursor's message; the cursor names the next page's first message.
 * Messages carry their metadata only with `include_all_metadata`, as Slack's do.
 */
function page(ordered: StoredMessage[], args: JsonObject, ws: WorkspaceIdentity): JsonObject {
  const limit = Math.min(Math.max(num(args, 'limit') ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
  const cursor = str(args, 'cursor');
  let start = 0;
  if (cursor !== undefined && cursor !== '') {
    const ts = decodeCursor(cursor);
    start = ordered.findIndex((m) => m.ts === ts);
    if (start < 0) throw new SlackApiError('invalid_cursor');
  }
  const items = ordered.slice(start, start + limit);
  const next = ordered[start + limit];
  return {
    messages: items.map((m) =>
      toSlackMessage(m, ws, { includeMetadata: bool(args, 'include_all_metadata') }),
    ),
    has_more: next !== undefined,
    response_metadata: { next_cursor: next === undefined ? '' : encodeCursor(next.ts) },
  };
}

/** `oldest`/`latest` bounds, exclusive unless `inclusive`, compared as Slack compares ts strings: numerically. */
function inRange(args: JsonObject): (m: StoredMessage) => boolean {
  const oldest = num(args, 'oldest') ?? 0;
  const latest = num(args, 'latest') ?? Number.POSITIVE_INFINITY;
  const inclusive = bool(args, 'inclusive');
  return (m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  };
}

/**
 * The conversations.* methods that read take a conversation *id*: unlike chat.postMessage, Slack does not
 * resolve a channel name here (`channel_not_found`).
 */
function requireConversation(ctx: MethodContext): SlackChannel {
  const id = str(ctx.args, 'channel');
  const channel = id === undefined ? undefined : ctx.workspace.channels.get(id);
  if (!channel) throw new SlackApiError('channel_not_found');
  return channel;
}

const LIST_TYPES = new Set(['public_channel', 'private_channel', 'mpim', 'im']);

function listType(channel: SlackChannel): string {
  if (channel.is_im) return 'im';
  return channel.is_private ? 'private_channel' : 'public_channel';
}

export const conversationMethods: MethodTable = {
  'conversations.list': {
    token: 'bot',
    handler(ctx) {
      const types = (str(ctx.args, 'types') ?? 'public_channel').split(',').map((t) => t.trim());
      if (types.some((t) => !LIST_TYPES.has(t))) throw new SlackApiError('invalid_types');
      const limit = Math.min(Math.max(num(ctx.args, 'limit') ?? DEFAULT_LIMIT, 1), 1000);
      const listed = [...ctx.workspace.channels.values()].filter(
        (c) =>
          types.includes(listType(c)) &&
          !(bool(ctx.args, 'exclude_archived') && c.is_archived) &&
          // Private conversations are listed only to their members, as Slack lists them to a bot.
          (!c.is_private || c.is_member),
      );
      const cursor = str(ctx.args, 'cursor');
      let start = 0;
      if (cursor !== undefined && cursor !== '') {
        const id = decodeCursor(cursor);
        start = listed.findIndex((c) => c.id === id);
        if (start < 0) throw new SlackApiError('invalid_cursor');
      }
      const next = listed[start + limit];
      return {
        channels: listed.slice(start, start + limit),
        response_metadata: { next_cursor: next === undefined ? '' : encodeCursor(next.id) },
      };
    },
  },
  'conversations.history': {
    token: 'bot',
    handler(ctx) {
      const channel = requireConversation(ctx);
      const newestFirst = ctx.workspace.messages(channel.id).filter(inRange(ctx.args)).reverse();
      return {
        ...page(newestFirst, ctx.args, ctx.workspace),
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
      };
    },
  },
  'conversations.replies': {
    token: 'bot',
    handler(ctx) {
      const channel = requireConversation(ctx);
      const ts = str(ctx.args, 'ts');
      const message = ts === undefined ? undefined : ctx.workspace.message(channel.id, ts);
      if (!message) throw new SlackApiError('thread_not_found');
      const thread = ctx.workspace.thread(channel.id, message.thread_ts ?? message.ts);
      const [parent, ...replies] = thread;
      const filtered = parent ? [parent, ...replies.filter(inRange(ctx.args))] : [];
      return page(filtered, ctx.args, ctx.workspace);
    },
  },
  'conversations.info': {
    token: 'bot',
    handler(ctx) {
      return { channel: requireConversation(ctx) };
    },
  },
  'conversations.open': {
    token: 'bot',
    handler(ctx) {
      const channelRef = str(ctx.args, 'channel');
      const users = (str(ctx.args, 'users') ?? '').split(',').filter((u) => u !== '');
      if (channelRef !== undefined) return { channel: { id: requireChannel(ctx).id } };
      const [only, ...others] = users;
      if (only === undefined) throw new SlackApiError('users_list_not_supplied');
      // Group DMs (several users) are not emulated: conversations.open takes one person here.
      if (others.length > 0) throw new SlackApiError('not_supported');
      if (!ctx.workspace.user(only)) throw new SlackApiError('user_not_found');
      const im = ctx.workspace.channel(only);
      return { no_op: true, already_open: true, channel: { id: im?.id } };
    },
  },
  'users.info': {
    token: 'bot',
    handler(ctx) {
      const id = str(ctx.args, 'user');
      const user = id === undefined ? undefined : ctx.workspace.user(id);
      if (!user) throw new SlackApiError('user_not_found');
      return { user };
    },
  },
  'auth.test': {
    token: 'bot',
    handler(ctx) {
      return {
        url: `https://${ctx.workspace.team.domain}.slack.com/`,
        team: ctx.workspace.team.domain,
        user: ctx.workspace.bot.name,
        team_id: ctx.workspace.team.id,
        user_id: ctx.workspace.bot.userId,
        bot_id: ctx.workspace.bot.botId,
        is_enterprise_install: false,
      };
    },
  },
  'apps.connections.open': {
    token: 'app',
    handler(ctx) {
      const ticket = ctx.issueSocketTicket();
      return {
        url: `ws://${ctx.host}${ctx.basePath}/link/?ticket=${ticket}&app_id=${ctx.workspace.bot.appId}`,
      };
    },
  },
};
