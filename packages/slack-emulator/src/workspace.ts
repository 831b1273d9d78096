/**
 * The emulated workspace: users, channels, messages with threads, ephemeral messages, views and a log of
 * every Web API call. Everything that changes emits a `change` event, which is what a live web page (and a
 * test waiting for a message) listens to.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import {
  DEFAULT_APP,
  DEFAULT_TEAM,
  botUser,
  defaultChannels,
  imChannel,
  type AppIdentity,
  type WorkspaceSeed,
} from './seed.js';
import { ViewStore } from './view-store.js';
import { UsergroupStore } from './usergroups.js';
import type {
  ApiCallRecord,
  EphemeralMessage,
  JsonObject,
  MessageShortcut,
  ResponseUrlRecord,
  SlackChannel,
  SlackUser,
  StoredMessage,
  TriggerRecord,
  WorkspaceChange,
} from './types.js';

/** Slack's documented lifetime of a trigger_id. */
export const TRIGGER_TTL_MS = 3_000;
/** A response_url works five times within thirty minutes. */
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
export const RESPONSE_URL_MAX_USES = 5;

export type TriggerCheck = 'ok' | 'invalid' | 'expired' | 'exchanged';

export interface PostInput {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  threadTs?: string;
  broadcast?: boolean;
  /** Posted by the app (sets bot_id/app_id) rather than by a person. */
  asBot?: boolean;
  metadata?: JsonObject;
}

export class Workspace extends EventEmitter<{ change: [WorkspaceChange] }> {
  readonly team: { id: string; domain: string; name: string };
  readonly bot: { userId: string; botId: string; appId: string; name: string };
  readonly users = new Map<string, SlackUser>();
  readonly channels = new Map<string, SlackChannel>();
  readonly ephemerals: EphemeralMessage[] = [];
  readonly calls: ApiCallRecord[] = [];
  readonly views: ViewStore;
  /** User groups (paid plans only: set `usergroups.paid = false` for the free plan). */
  readonly usergroups: UsergroupStore;
  /**
   * The bot scopes the app was granted (its manifest's), or undefined for all: a call without its scope is then
   * answered `missing_scope` (method-scopes.ts), and a post to a public channel the bot is not in `not_in_channel`
   * unless it holds chat:write.public.
   */
  scopes: ReadonlySet<string> | undefined = undefined;
  /** Where the emulator's web page is served, if it is: permalinks then open the message there. */
  pageUrl: string | undefined = undefined;
  /** The app's message shortcuts (its manifest's `features.shortcuts`), offered in every message's ⋮ menu. */
  shortcuts: readonly MessageShortcut[] = [];
  private readonly messagesByChannel = new Map<string, StoredMessage[]>();
  private readonly triggers = new Map<string, TriggerRecord>();
  private readonly responseUrls = new Map<string, ResponseUrlRecord>();
  private lastMicros = 0;

  constructor(
    readonly clock: Clock = { now: () => Date.now() },
    seed: WorkspaceSeed = {},
  ) {
    super();
    const team = seed.team ?? DEFAULT_TEAM;
    const app: AppIdentity = seed.app ?? DEFAULT_APP;
    this.team = { id: team.id, domain: team.domain, name: team.domain };
    this.bot = { userId: app.botUserId, botId: app.botId, appId: app.appId, name: app.botName };
    for (const user of [botUser(app), ...(seed.users ?? [])]) this.addUser(user);
    for (const channel of seed.channels ?? defaultChannels()) this.addChannel(channel);
    this.views = new ViewStore(this.team.id, this.bot, (change) => this.emit('change', change));
    this.usergroups = new UsergroupStore(this.team.id, clock);
    for (const group of seed.usergroups ?? []) this.usergroups.create(group);
  }

  /** Unique, strictly increasing message timestamps in Slack's `seconds.micros` form. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.clock.now()) * 1000, this.lastMicros + 100);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** Adds a person (or replaces one with the same id); they belong to this workspace's team. */
  addUser(user: SlackUser): void {
    this.users.set(user.id, { ...user, team_id: this.team.id });
  }

  addChannel(channel: SlackChannel): void {
    this.channels.set(channel.id, channel);
  }

  user(id: string): SlackUser | undefined {
    return this.users.get(id);
  }

  /** Resolves `C0GENERAL`, `general`, `#general`, or a user id (its DM with the bot) to the channel. */
  channel(ref: string): SlackChannel | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    for (const channel of this.channels.values()) if (!channel.is_im && channel.name === name) return channel;
    if (this.users.has(ref)) {
      const im = imChannel(ref);
      const existing = this.channels.get(im.id);
      if (existing) return existing;
      this.channels.set(im.id, im);
      return im;
    }
    return undefined;
  }

  /** Every message in a channel, replies included, oldest first. */
  allMessages(channelId: string): StoredMessage[] {
    return this.messagesByChannel.get(channelId) ?? [];
  }

  /** Every channel's messages, replies included (persistence.ts saves them). */
  messageLists(): ReadonlyMap<string, readonly StoredMessage[]> {
    return this.messagesByChannel;
  }

  /** Puts saved messages back (persistence.ts); later timestamps follow the newest of them. */
  restoreMessages(channelId: string, messages: StoredMessage[]): void {
    this.messagesByChannel.set(channelId, messages);
    for (const { ts } of messages) {
      const [seconds = '0', micros = '0'] = ts.split('.');
      this.lastMicros = Math.max(this.lastMicros, Number(seconds) * 1e6 + Number(micros));
    }
  }

  /** What the channel shows: top-level messages and broadcast replies, oldest first. */
  messages(channelId: string): StoredMessage[] {
    return this.allMessages(channelId).filter(
      (m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast',
    );
  }

  message(channelId: string, ts: string): StoredMessage | undefined {
    return this.allMessages(channelId).find((m) => m.ts === ts);
  }

  /** A thread: the parent first, then its replies oldest first. */
  thread(channelId: string, threadTs: string): StoredMessage[] {
    return this.allMessages(channelId).filter((m) => m.ts === threadTs || m.thread_ts === threadTs);
  }

  postMessage(input: PostInput): StoredMessage {
    const message: StoredMessage = {
      channel: input.channel,
      ts: this.nextTs(),
      user: input.user,
      team: this.team.id,
      text: input.text,
      blocks: input.blocks ?? [],
      attachments: input.attachments ?? [],
      ...(input.asBot ? { bot_id: this.bot.botId, app_id: this.bot.appId } : {}),
      ...(input.metadata ? { metadata: input.metadata } : {}),
    };
    if (input.threadTs !== undefined) {
      const parent = this.message(input.channel, input.threadTs);
      if (parent) {
        message.thread_ts = parent.ts;
        message.parent_user_id = parent.user;
        if (input.broadcast) message.subtype = 'thread_broadcast';
        parent.thread_ts = parent.ts;
        parent.replies = [...(parent.replies ?? []), { user: message.user, ts: message.ts }];
        parent.reply_count = parent.replies.length;
        parent.latest_reply = message.ts;
        this.emit('change', { type: 'message_updated', message: parent });
      }
    }
    const list = this.messagesByChannel.get(input.channel) ?? [];
    list.push(message);
    this.messagesByChannel.set(input.channel, list);
    this.emit('change', { type: 'message_posted', message });
    return message;
  }

  updateMessage(
    message: StoredMessage,
    changes: { text?: string; blocks?: JsonObject[]; attachments?: JsonObject[] },
  ): StoredMessage {
    if (changes.text !== undefined) message.text = changes.text;
    if (changes.blocks !== undefined) message.blocks = changes.blocks;
    if (changes.attachments !== undefined) message.attachments = changes.attachments;
    message.edited = { user: message.user, ts: this.nextTs() };
    this.emit('change', { type: 'message_updated', message });
    return message;
  }

  deleteMessage(channelId: string, ts: string): boolean {
    const list = this.allMessages(channelId);
    const index = list.findIndex((m) => m.ts === ts);
    if (index < 0) return false;
    list.splice(index, 1);
    this.emit('change', { type: 'message_deleted', channel: channelId, ts });
    return true;
  }

  /** Archives a channel: its messages stay, nothing can be posted or edited there (`is_archived`). */
  archiveChannel(ref: string): boolean {
    const channel = this.channel(ref);
    if (!channel || channel.is_archived) return false;
    channel.is_archived = true;
    this.emit('change', { type: 'channel_archived', channel: channel.id });
    return true;
  }

  postEphemeral(input: Omit<EphemeralMessage, 'ts'>): EphemeralMessage {
    const ephemeral: EphemeralMessage = { ...input, ts: this.nextTs() };
    this.ephemerals.push(ephemeral);
    this.emit('change', { type: 'ephemeral_posted', ephemeral });
    return ephemeral;
  }

  ephemeral(ts: string): EphemeralMessage | undefined {
    return this.ephemerals.find((e) => e.ts === ts);
  }

  /** Ephemeral messages change only through a response_url's replace_original. */
  updateEphemeral(
    ephemeral: EphemeralMessage,
    changes: { text?: string; blocks?: JsonObject[]; attachments?: JsonObject[] },
  ): void {
    if (changes.text !== undefined) ephemeral.text = changes.text;
    if (changes.blocks !== undefined) ephemeral.blocks = changes.blocks;
    if (changes.attachments !== undefined) ephemeral.attachments = changes.attachments;
    this.emit('change', { type: 'ephemeral_updated', ephemeral });
  }

  deleteEphemeral(ts: string): void {
    const index = this.ephemerals.findIndex((e) => e.ts === ts);
    const [removed] = index < 0 ? [] : this.ephemerals.splice(index, 1);
    if (removed) this.emit('change', { type: 'ephemeral_deleted', ephemeral: removed });
  }

  recordCall(call: ApiCallRecord): void {
    this.calls.push(call);
    this.emit('change', { type: 'api_call', call });
  }

  /** Calls that changed what people see: the quickest way for a test to assert "nothing was posted". */
  postCalls(): ApiCallRecord[] {
    const posting =
      /^(chat\.(postMessage|postEphemeral|update|delete)|views\.(open|push|update|publish)|response_url)$/;
    return this.calls.filter((c) => c.ok && posting.test(c.method));
  }

  /** A trigger_id in Slack's `<ms>.<team>.<hex>` shape, valid for three seconds. */
  issueTrigger(user: string): string {
    const id = `${this.clock.now()}.${this.team.id.slice(1)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { id, user, issuedAt: this.clock.now(), used: false });
    return id;
  }

  /** Checks and spends a trigger, with views.open's error vocabulary. */
  useTrigger(id: string): { check: TriggerCheck; user?: string } {
    const trigger = this.triggers.get(id);
    if (!trigger) return { check: 'invalid' };
    if (this.clock.now() - trigger.issuedAt > TRIGGER_TTL_MS) return { check: 'expired', user: trigger.user };
    if (trigger.used) return { check: 'exchanged', user: trigger.user };
    trigger.used = true;
    return { check: 'ok', user: trigger.user };
  }

  /** Ages a trigger past its lifetime, for tests that do not want to wait three seconds. */
  expireTrigger(id: string): void {
    const trigger = this.triggers.get(id);
    if (trigger) trigger.issuedAt = this.clock.now() - TRIGGER_TTL_MS - 1;
  }

  issueResponseUrl(record: Omit<ResponseUrlRecord, 'id' | 'issuedAt' | 'uses'>): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { ...record, id, issuedAt: this.clock.now(), uses: 0 });
    return id;
  }

  responseUrl(id: string): ResponseUrlRecord | undefined {
    return this.responseUrls.get(id);
  }
}
