/**
 * What a person does in Slack (type a command, click a button, choose from a menu, run a message shortcut, submit
 * or close a modal, open the App Home, mention the bot), turned into the payloads Slack would send and delivered
 * over the emulator's transport: Socket Mode by default, or signed HTTP requests to the app's endpoint. Tests and
 * the web page share this. Each action also applies what Slack does with the app's ack (a command's ack text
 * becomes a message, a submission's `response_action` changes the modal stack).
 */
import { randomUUID } from 'node:crypto';
import { ActionContext, type ActionsDeps } from './action-context.js';
import { chooseOption, clickButton, runMessageShortcut } from './actions-interactive.js';
import { closeView, submitView } from './actions-views.js';
import { isObject } from './json.js';
import { eventCallback, slashCommandPayload } from './payloads.js';
import { applyResponse } from './response-url.js';
import type { EnvelopeType } from './socket-mode.js';
import type { JsonObject } from './types.js';
import { toSlackView } from './view-store.js';
import type { EnteredValues } from './view-state.js';
import type { ActionResult, ChooseOptionInput, ClickButtonInput, DeliveryOptions } from './action-types.js';

export { findButton } from './find-element.js';
export type { ActionsDeps } from './action-context.js';
export type * from './action-types.js';

export class Actions {
  private readonly ctx: ActionContext;

  constructor(deps: ActionsDeps) {
    this.ctx = new ActionContext(deps);
  }

  /** Delivers any payload over the current transport; the other actions are built on this. */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliveryOptions = {},
  ): Promise<ActionResult> {
    return this.ctx.send(type, payload, options);
  }

  /** `/command text` typed by `userId` in `channelId` (id or name). */
  async runCommand(input: {
    userId: string;
    channelId: string;
    command: string;
    text?: string;
  }): Promise<ActionResult> {
    const { ctx } = this;
    const user = ctx.user(input.userId);
    const channel = ctx.channel(input.channelId);
    const payload = slashCommandPayload(ctx.workspace, {
      user,
      channel,
      command: input.command.startsWith('/') ? input.command : `/${input.command}`,
      text: input.text ?? '',
      responseUrl: ctx.responseUrl({ channel: channel.id, user: user.id, fromEphemeral: false }),
      triggerId: ctx.workspace.issueTrigger(user.id),
    });
    const result = await ctx.send('slash_commands', payload);
    // Slack shows a command's ack body to the person who typed it (or to the channel with in_channel).
    const ack = result.ack.payload;
    const body = typeof ack === 'string' ? { text: ack } : isObject(ack) ? ack : undefined;
    if (body && (body['text'] !== undefined || body['blocks'] !== undefined)) {
      ctx.apply(() => applyResponse(ctx.workspace, { channel: channel.id, user: user.id }, body));
    }
    return result;
  }

  /**
   * A message shortcut chosen from a message's ⋮ menu (a `message_action` payload); rejects when the app declares
   * no such shortcut (the emulator's `shortcuts` option, from the app's manifest) or there is no such message.
   */
  runMessageShortcut(input: {
    userId: string;
    channelId: string;
    messageTs: string;
    callbackId: string;
  }): Promise<ActionResult> {
    return runMessageShortcut(this.ctx, input);
  }

  /** A click on a button in a message (or ephemeral message) or in a view; rejects when there is no such button. */
  clickButton(input: ClickButtonInput): Promise<ActionResult> {
    return clickButton(this.ctx, input);
  }

  /**
   * Opens an overflow menu ("⋮") in a message or view and chooses one of its options; rejects when there is no
   * such menu or option. Slack sends the chosen option as `selected_option`.
   */
  chooseOption(input: ChooseOptionInput): Promise<ActionResult> {
    return chooseOption(this.ctx, input);
  }

  /** Submits the modal `viewId` with entered values keyed by action_id; applies the ack's response_action. */
  submitView(input: { userId: string; viewId: string; values?: EnteredValues }): Promise<ActionResult> {
    return submitView(this.ctx, input);
  }

  /** Closes a modal with its Cancel button; Slack tells the app only when the view asked (notify_on_close). */
  closeView(input: { userId: string; viewId: string }): Promise<ActionResult | undefined> {
    return closeView(this.ctx, input);
  }

  /** The person opens the app's Home tab: an `app_home_opened` event. */
  async openAppHome(userId: string, options: DeliveryOptions = {}): Promise<ActionResult> {
    const { ctx } = this;
    const user = ctx.user(userId);
    const im = ctx.channel(user.id);
    const home = ctx.workspace.views.home(user.id);
    const event: JsonObject = {
      type: 'app_home_opened',
      user: user.id,
      channel: im.id,
      tab: 'home',
      ...(home ? { view: toSlackView(home) } : {}),
      event_ts: ctx.workspace.nextTs(),
    };
    return ctx.send('events_api', eventCallback(ctx.workspace, event, ctx.eventTime()), options);
  }

  /** The person posts a message mentioning the bot: stored in the channel, then an `app_mention` event. */
  async mention(
    input: { userId: string; channelId: string; text: string; threadTs?: string },
    options: DeliveryOptions = {},
  ): Promise<ActionResult> {
    const { ctx } = this;
    const user = ctx.user(input.userId);
    const channel = ctx.channel(input.channelId);
    const tag = `<@${ctx.workspace.bot.userId}>`;
    const text = input.text.includes(tag) ? input.text : `${tag} ${input.text}`;
    if (input.threadTs !== undefined && !ctx.workspace.message(channel.id, input.threadTs)) {
      throw new Error(`no thread ${input.threadTs} in ${channel.id}`);
    }
    const message = ctx.workspace.postMessage({
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
    return ctx.send('events_api', eventCallback(ctx.workspace, event, ctx.eventTime()), options);
  }
}
