/**
 * What a person does in Slack (type a command, click a button, submit or close a modal, open the App Home,
 * mention the bot), turned into the payloads Slack would send and delivered over the emulator's transport:
 * Socket Mode by default, or signed HTTP requests to the app's endpoint. Tests and the web page share this.
 * Each action also applies what Slack does with the app's ack (a command's ack text becomes an ephemeral
 * message, a submission's `response_action` updates the modal stack).
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorLogger as Logger } from './logger.js';
import { SlackApiError } from './api-error.js';
import { deliverOverHttp } from './http-transport.js';
import { isObject, str } from './json.js';
import { parseViewDefinition } from './methods-views.js';
import {
  blockActionsPayload,
  eventCallback,
  messageShortcutPayload,
  slashCommandPayload,
  viewClosedPayload,
  viewSubmissionPayload,
  type BlockActionInput,
} from './payloads.js';

export { findButton };
import { findButton, findElement } from './find-element.js';
import { applyResponse } from './response-url.js';
import type { EnvelopeType, SocketModeServer } from './socket-mode.js';
import type { JsonObject, SlackChannel, SlackUser } from './types.js';
import { toSlackView } from './view-store.js';
import { buildStateValues, type EnteredValues } from './view-state.js';
import type { Workspace } from './workspace.js';
import type {
  ActionResult,
  ChooseOptionInput,
  ClickButtonInput,
  DeliveryOptions,
  TransportConfig,
} from './action-types.js';

export type * from './action-types.js';

export interface ActionsDeps {
  workspace: Workspace;
  socket: SocketModeServer;
  /** The emulator's base URL (with its base path), for the response_urls it hands out. */
  baseUrl(): string;
  transport(): TransportConfig;
  logger?: Logger | undefined;
}

export class Actions {
  constructor(private readonly deps: ActionsDeps) {}

  private get workspace(): Workspace {
    return this.deps.workspace;
  }

  /** Delivers any payload over the current transport; the other actions are built on this. */
  async send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliveryOptions = {},
  ): Promise<ActionResult> {
    const transport = this.deps.transport();
    if (transport.kind === 'socket') {
      const ack = await this.deps.socket.deliver(type, payload, options);
      return {
        transport: 'socket',
        envelopeId: ack.envelope_id,
        ack: ack.payload === undefined ? {} : { payload: ack.payload },
      };
    }
    const retry = { retryNum: options.retryAttempt, retryReason: options.retryReason };
    const { status, body } = await deliverOverHttp(transport, type, payload, retry);
    return {
      transport: 'http',
      status,
      body,
      ack: status === 200 && body !== undefined ? { payload: body } : {},
    };
  }

  /** `/command text` typed by `userId` in `channelId` (id or name). */
  async runCommand(input: {
    userId: string;
    channelId: string;
    command: string;
    text?: string;
  }): Promise<ActionResult> {
    const user = this.user(input.userId);
    const channel = this.channel(input.channelId);
    const payload = slashCommandPayload(this.workspace, {
      user,
      channel,
      command: input.command.startsWith('/') ? input.command : `/${input.command}`,
      text: input.text ?? '',
      responseUrl: this.responseUrl({ channel: channel.id, user: user.id, fromEphemeral: false }),
      triggerId: this.workspace.issueTrigger(user.id),
    });
    const result = await this.send('slash_commands', payload);
    // Slack shows a command's ack body to the person who typed it (or to the channel with in_channel).
    const ack = result.ack.payload;
    const body = typeof ack === 'string' ? { text: ack } : isObject(ack) ? ack : undefined;
    if (body && (body['text'] !== undefined || body['blocks'] !== undefined)) {
      this.apply(() => applyResponse(this.workspace, { channel: channel.id, user: user.id }, body));
    }
    return result;
  }

  /**
   * A message shortcut chosen from a message's ⋮ menu (a `message_action` payload); rejects when the app declares
   * no such shortcut (the emulator's `shortcuts` option, from the app's manifest) or there is no such message.
   */
  async runMessageShortcut(input: {
    userId: string;
    channelId: string;
    messageTs: string;
    callbackId: string;
  }): Promise<ActionResult> {
    const user = this.user(input.userId);
    const channel = this.channel(input.channelId);
    if (!this.workspace.shortcuts.some((s) => s.callbackId === input.callbackId)) {
      throw new Error(`the app declares no message shortcut ${input.callbackId}`);
    }
    const message = this.workspace.message(channel.id, input.messageTs);
    if (!message) throw new Error(`no message ${input.messageTs} in ${channel.id}`);
    const payload = messageShortcutPayload(this.workspace, {
      user,
      channel,
      message,
      callbackId: input.callbackId,
      triggerId: this.workspace.issueTrigger(user.id),
      responseUrl: this.responseUrl({ channel: channel.id, user: user.id, fromEphemeral: false }),
      actionTs: this.workspace.nextTs(),
    });
    return this.send('interactive', payload);
  }

  /** A click on a button in a message (or ephemeral message) or in a view; rejects when there is no such button. */
  async clickButton(input: ClickButtonInput): Promise<ActionResult> {
    const user = this.user(input.userId);
    const { source, blocks } = this.actionSource(input, user);
    const button = findButton(blocks, input.actionId, input.value);
    if (!button)
      throw new Error(
        `no button with action_id ${input.actionId}${input.value === undefined ? '' : ` and value ${input.value}`}`,
      );
    const triggerId = this.workspace.issueTrigger(user.id);
    const actionTs = this.workspace.nextTs();
    return this.send(
      'interactive',
      blockActionsPayload(this.workspace, { user, triggerId, button, actionTs, source }),
    );
  }

  /**
   * Opens an overflow menu ("⋮") in a message or view and chooses one of its options; rejects when there is no
   * such menu or option. Slack sends the chosen option as `selected_option`.
   */
  async chooseOption(input: ChooseOptionInput): Promise<ActionResult> {
    const user = this.user(input.userId);
    const { source, blocks } = this.actionSource(input, user);
    const menu = findElement(blocks, 'overflow', input.actionId);
    if (!menu) throw new Error(`no overflow menu with action_id ${input.actionId}`);
    const options = Array.isArray(menu.element['options']) ? menu.element['options'].filter(isObject) : [];
    const option = options.find((o) => o['value'] === input.optionValue);
    if (!option) throw new Error(`the menu ${input.actionId} has no option ${input.optionValue}`);
    const triggerId = this.workspace.issueTrigger(user.id);
    const actionTs = this.workspace.nextTs();
    const chosen = { ...menu, selectedOption: { text: option['text'], value: option['value'] } };
    return this.send(
      'interactive',
      blockActionsPayload(this.workspace, { user, triggerId, button: chosen, actionTs, source }),
    );
  }

  /** Where an element was acted on (a message, an ephemeral message or a view) and that surface's blocks. */
  private actionSource(
    input: { channelId: string; messageTs: string } | { viewId: string },
    user: SlackUser,
  ): { source: BlockActionInput['source']; blocks: unknown } {
    let source: BlockActionInput['source'];
    let blocks: unknown;
    if ('viewId' in input) {
      const view = this.workspace.views.get(input.viewId);
      if (!view || view.user !== user.id) throw new Error(`view ${input.viewId} is not open for ${user.id}`);
      source = { kind: 'view', view };
      blocks = view.definition['blocks'];
    } else {
      const channel = this.channel(input.channelId);
      const message = this.workspace.message(channel.id, input.messageTs);
      const ephemeral = message ? undefined : this.workspace.ephemeral(input.messageTs);
      if (!message && (!ephemeral || ephemeral.user !== user.id || ephemeral.channel !== channel.id)) {
        throw new Error(`no message ${input.messageTs} in ${channel.id}`);
      }
      const threadTs =
        message?.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
      const responseUrl = this.responseUrl({
        channel: channel.id,
        user: user.id,
        messageTs: input.messageTs,
        fromEphemeral: !message,
        ...(threadTs === undefined ? {} : { threadTs }),
      });
      if (message) source = { kind: 'message', channel, message, responseUrl };
      else if (ephemeral) source = { kind: 'ephemeral', channel, message: ephemeral, responseUrl };
      else throw new Error('unreachable');
      blocks = source.message.blocks;
    }
    return { source, blocks };
  }

  /** Submits the modal `viewId` with entered values keyed by action_id; applies the ack's response_action. */
  async submitView(input: { userId: string; viewId: string; values?: EnteredValues }): Promise<ActionResult> {
    const user = this.user(input.userId);
    const view = this.workspace.views.get(input.viewId);
    if (!view || view.type !== 'modal' || view.user !== user.id)
      throw new Error(`modal ${input.viewId} is not open for ${user.id}`);
    const values = buildStateValues(view.definition['blocks'], input.values ?? {});
    const payload = viewSubmissionPayload(
      this.workspace,
      user,
      view,
      values,
      this.workspace.issueTrigger(user.id),
    );
    const result = await this.send('interactive', payload);
    if (result.transport === 'http' && result.status !== 200) return result;
    const ack = isObject(result.ack.payload) ? result.ack.payload : {};
    const views = this.workspace.views;
    this.apply(() => {
      const action = str(ack, 'response_action');
      if (action === 'errors')
        views.setErrors(view, isObject(ack['errors']) ? stringRecord(ack['errors']) : {});
      else if (action === 'update') views.update(view, parseViewDefinition(ack['view'], 'modal'));
      else if (action === 'push') views.push(user.id, parseViewDefinition(ack['view'], 'modal'));
      else if (action === 'clear') views.clear(user.id);
      else views.close(view);
    });
    return result;
  }

  /** Closes a modal with its Cancel button; Slack tells the app only when the view asked (notify_on_close). */
  async closeView(input: { userId: string; viewId: string }): Promise<ActionResult | undefined> {
    const user = this.user(input.userId);
    const view = this.workspace.views.get(input.viewId);
    if (!view || view.type !== 'modal' || view.user !== user.id)
      throw new Error(`modal ${input.viewId} is not open for ${user.id}`);
    const isCleared = view.definition['clear_on_close'] === true;
    if (isCleared) this.workspace.views.clear(user.id);
    else this.workspace.views.close(view);
    if (view.definition['notify_on_close'] !== true) return undefined;
    return this.send('interactive', viewClosedPayload(this.workspace, user, view, isCleared));
  }

  /** The person opens the app's Home tab: an `app_home_opened` event. */
  async openAppHome(userId: string, options: DeliveryOptions = {}): Promise<ActionResult> {
    const user = this.user(userId);
    const im = this.channel(user.id);
    const home = this.workspace.views.home(user.id);
    const event: JsonObject = {
      type: 'app_home_opened',
      user: user.id,
      channel: im.id,
      tab: 'home',
      ...(home ? { view: toSlackView(home) } : {}),
      event_ts: this.workspace.nextTs(),
    };
    return this.send('events_api', eventCallback(this.workspace, event, this.eventTime()), options);
  }

  /** The person posts a message mentioning the bot: stored in the channel, then an `app_mention` event. */
  async mention(
    input: { userId: string; channelId: string; text: string; threadTs?: string },
    options: DeliveryOptions = {},
  ): Promise<ActionResult> {
    const user = this.user(input.userId);
    const channel = this.channel(input.channelId);
    const tag = `<@${this.deps.workspace.bot.userId}>`;
    const text = input.text.includes(tag) ? input.text : `${tag} ${input.text}`;
    if (input.threadTs !== undefined && !this.workspace.message(channel.id, input.threadTs)) {
      throw new Error(`no thread ${input.threadTs} in ${channel.id}`);
    }
    const message = this.workspace.postMessage({
      channel: channel.id,
      user: user.id,
      text,
      ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
    });
    const event: JsonObject = {
      client_msg_id: randomUUID(),
      type: 'app_mention',
      text,
      user: user.id,
      ts: message.ts,
      team: message.team,
      ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
      channel: channel.id,
      event_ts: message.ts,
    };
    return this.send('events_api', eventCallback(this.workspace, event, this.eventTime()), options);
  }

  private eventTime(): number {
    return Math.floor(this.workspace.clock.now() / 1000);
  }

  private user(id: string): SlackUser {
    const user = this.workspace.user(id);
    if (!user) throw new Error(`unknown user ${id}`);
    return user;
  }

  private channel(ref: string): SlackChannel {
    const channel = this.workspace.channel(ref);
    if (!channel) throw new Error(`unknown channel ${ref}`);
    return channel;
  }

  private responseUrl(record: Parameters<Workspace['issueResponseUrl']>[0]): string {
    const base = this.deps.baseUrl();
    if (base === '') throw new Error('the emulator has no URL yet: call setUrl() after mounting it');
    return `${base}/response/${this.workspace.issueResponseUrl(record)}`;
  }

  /** Applies an ack's effect; content Slack would reject is logged (Slack shows the person an error). */
  private apply(effect: () => void): void {
    try {
      effect();
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      this.deps.logger?.warn(
        { error: error.code, extra: error.extra },
        'emulator: app acked with content Slack rejects',
      );
    }
  }
}

function stringRecord(value: JsonObject): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
