/**
 * The emulator's data model. Stored records keep Slack's own field names so that serializing them back onto
 * the wire (conversations.history, views.open, event payloads) is a copy, not a translation.
 */

/** Any JSON object received from or sent to the app; Block Kit is validated structurally, not typed. */
export type JsonObject = Record<string, unknown>;

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  is_bot: boolean;
  is_admin: boolean;
  deleted: boolean;
  profile: { real_name: string; display_name: string; email?: string; bot_id?: string; image_48?: string };
}

export interface SlackChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_im: boolean;
  is_private: boolean;
  is_archived: boolean;
  is_member: boolean;
  created: number;
  /** The other party of a direct message channel. */
  user?: string;
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** Set on replies, and on a parent once it has replies (as Slack does). */
  thread_ts?: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks: JsonObject[];
  attachments: JsonObject[];
  edited?: { user: string; ts: string };
  /** `thread_broadcast` for replies posted with reply_broadcast, which also show in the channel. */
  subtype?: 'thread_broadcast';
  parent_user_id?: string;
  reply_count?: number;
  replies?: { user: string; ts: string }[];
  latest_reply?: string;
  metadata?: JsonObject;
}

export interface EphemeralMessage {
  channel: string;
  /** The only person who sees it. */
  user: string;
  ts: string;
  thread_ts?: string;
  /** Who it appears to come from: the bot for chat.postEphemeral and response_url, Slackbot otherwise. */
  bot_id?: string;
  text: string;
  blocks: JsonObject[];
  attachments: JsonObject[];
}

export interface StoredView {
  id: string;
  team_id: string;
  app_id: string;
  bot_id: string;
  type: 'modal' | 'home';
  /** Whose screen shows it. */
  user: string;
  /** The app's view payload as last sent (title, blocks, callback_id, private_metadata, …). */
  definition: JsonObject;
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  external_id: string;
  /** Field errors from a `response_action: 'errors'` ack, keyed by block_id. */
  errors?: Record<string, string>;
}

export interface ApiCallRecord {
  method: string;
  /** The arguments as decoded (JSON-string fields parsed), without the token. */
  args: JsonObject;
  ok: boolean;
  error?: string;
  /** Epoch milliseconds (the emulator's clock). */
  at: number;
}

export interface TriggerRecord {
  id: string;
  user: string;
  issuedAt: number;
  used: boolean;
}

/** Where a response_url posts, and what it may replace. */
export interface ResponseUrlRecord {
  id: string;
  channel: string;
  user: string;
  /** The message the interaction came from (block actions only). */
  messageTs?: string;
  fromEphemeral: boolean;
  threadTs?: string;
  issuedAt: number;
  uses: number;
}

export type WorkspaceChange =
  | { type: 'message_posted' | 'message_updated'; message: StoredMessage }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'channel_archived'; channel: string }
  | { type: 'ephemeral_posted' | 'ephemeral_updated' | 'ephemeral_deleted'; ephemeral: EphemeralMessage }
  | {
      type: 'view_opened' | 'view_pushed' | 'view_updated' | 'view_closed' | 'home_published';
      view: StoredView;
    }
  | { type: 'api_call'; call: ApiCallRecord };

/** A message shortcut the app declares: its name in the ⋮ menu and the callback_id Slack sends. */
export interface MessageShortcut {
  name: string;
  callbackId: string;
}
