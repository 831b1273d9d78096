/**
 * Message content in and out: reading text/blocks/attachments from a request the way chat.postMessage reads
 * them (shared by chat.*, response_url and slash command acks), and a stored message as Slack serializes it.
 */
import { SlackApiError } from './api-error.js';
import { normalizeBlocks, validateBlocks } from './block-kit.js';
import { isObject, jsonField, str } from './json.js';
import type { WorkspaceIdentity } from './seed.js';
import type { JsonObject, StoredMessage } from './types.js';

/** Slack truncates longer text; rejecting makes the mistake visible. */
const MAX_TEXT = 40_000;
const MAX_ATTACHMENTS = 100;

export interface MessageContent {
  text?: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
}

/**
 * Reads and validates content. With `require`, one of text, blocks or attachments must be present
 * (`no_text`), as chat.postMessage demands; chat.update passes the fields it was given.
 */
export function readMessageContent(args: JsonObject, { require = true } = {}): MessageContent {
  const content: MessageContent = {};
  const text = str(args, 'text');
  if (text !== undefined) {
    if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
    content.text = text;
  }
  const blocks = jsonField(args, 'blocks');
  if (blocks.kind === 'invalid' || (blocks.kind === 'value' && !Array.isArray(blocks.value))) {
    throw new SlackApiError('invalid_blocks_format');
  }
  if (blocks.kind === 'value' && Array.isArray(blocks.value)) {
    const errors = validateBlocks(blocks.value, 'message');
    if (errors.length > 0) throw SlackApiError.withMessages('invalid_blocks', errors);
    content.blocks = normalizeBlocks(blocks.value.filter(isObject));
  }
  const attachments = jsonField(args, 'attachments');
  if (attachments.kind === 'invalid') throw new SlackApiError('invalid_attachments');
  if (attachments.kind === 'value') {
    const list = attachments.value;
    if (!Array.isArray(list) || !list.every(isObject)) throw new SlackApiError('invalid_attachments');
    if (list.length > MAX_ATTACHMENTS) throw new SlackApiError('too_many_attachments');
    content.attachments = list;
  }
  const empty = (content.text ?? '') === '' && !content.blocks?.length && !content.attachments?.length;
  if (require && empty) throw new SlackApiError('no_text');
  return content;
}

/**
 * The message object of conversations.history, chat.postMessage's `message`, and interaction payloads. Its
 * metadata only with `includeMetadata`: Slack returns it where asked for (`include_all_metadata`), nowhere else.
 */
export function toSlackMessage(
  m: StoredMessage,
  ws: WorkspaceIdentity,
  { includeMetadata = false } = {},
): JsonObject {
  const out: JsonObject = { type: 'message' };
  if (m.subtype) out['subtype'] = m.subtype;
  out['text'] = m.text;
  out['user'] = m.user;
  if (m.bot_id) {
    out['bot_id'] = m.bot_id;
    out['app_id'] = m.app_id ?? ws.bot.appId;
    out['bot_profile'] = {
      id: m.bot_id,
      app_id: m.app_id ?? ws.bot.appId,
      name: ws.bot.name,
      deleted: false,
      team_id: ws.team.id,
    };
  }
  out['ts'] = m.ts;
  out['team'] = m.team;
  if (m.blocks.length > 0) out['blocks'] = m.blocks;
  if (m.attachments.length > 0) out['attachments'] = m.attachments;
  if (m.thread_ts !== undefined) out['thread_ts'] = m.thread_ts;
  if (m.parent_user_id !== undefined) out['parent_user_id'] = m.parent_user_id;
  if (m.replies && m.replies.length > 0) {
    const users = [...new Set(m.replies.map((r) => r.user))];
    out['reply_count'] = m.replies.length;
    out['reply_users_count'] = users.length;
    out['latest_reply'] = m.latest_reply;
    out['reply_users'] = users;
    out['is_locked'] = false;
    out['subscribed'] = false;
  }
  if (m.edited) out['edited'] = m.edited;
  if (m.metadata && includeMetadata) out['metadata'] = m.metadata;
  return out;
}
