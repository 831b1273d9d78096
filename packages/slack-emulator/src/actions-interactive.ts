/**
 * Interactions on a message or a view: a button click and an overflow menu's choice (`block_actions`), and a
 * message shortcut from a message's ⋮ menu (`message_action`), each with the trigger_id and response_url Slack
 * would hand the app.
 */
import type { ActionContext } from './action-context.js';
import type { ActionResult, ChooseOptionInput, ClickButtonInput } from './action-types.js';
import { findButton, findElement } from './find-element.js';
import { isObject } from './json.js';
import { blockActionsPayload, messageShortcutPayload, type BlockActionInput } from './payloads.js';
import type { SlackUser } from './types.js';

export async function clickButton(ctx: ActionContext, input: ClickButtonInput): Promise<ActionResult> {
  const user = ctx.user(input.userId);
  const { source, blocks } = actionSource(ctx, input, user);
  const button = findButton(blocks, input.actionId, input.value);
  if (!button)
    throw new Error(
      `no button with action_id ${input.actionId}${input.value === undefined ? '' : ` and value ${input.value}`}`,
    );
  const triggerId = ctx.workspace.issueTrigger(user.id);
  const actionTs = ctx.workspace.nextTs();
  return ctx.send(
    'interactive',
    blockActionsPayload(ctx.workspace, { user, triggerId, button, actionTs, source }),
  );
}

export async function chooseOption(ctx: ActionContext, input: ChooseOptionInput): Promise<ActionResult> {
  const user = ctx.user(input.userId);
  const { source, blocks } = actionSource(ctx, input, user);
  const menu = findElement(blocks, 'overflow', input.actionId);
  if (!menu) throw new Error(`no overflow menu with action_id ${input.actionId}`);
  const options = Array.isArray(menu.element['options']) ? menu.element['options'].filter(isObject) : [];
  const option = options.find((o) => o['value'] === input.optionValue);
  if (!option) throw new Error(`the menu ${input.actionId} has no option ${input.optionValue}`);
  const triggerId = ctx.workspace.issueTrigger(user.id);
  const actionTs = ctx.workspace.nextTs();
  const chosen = { ...menu, selectedOption: { text: option['text'], value: option['value'] } };
  return ctx.send(
    'interactive',
    blockActionsPayload(ctx.workspace, { user, triggerId, button: chosen, actionTs, source }),
  );
}

export async function runMessageShortcut(
  ctx: ActionContext,
  input: { userId: string; channelId: string; messageTs: string; callbackId: string },
): Promise<ActionResult> {
  const user = ctx.user(input.userId);
  const channel = ctx.channel(input.channelId);
  if (!ctx.workspace.shortcuts.some((s) => s.callbackId === input.callbackId)) {
    throw new Error(`the app declares no message shortcut ${input.callbackId}`);
  }
  const message = ctx.workspace.message(channel.id, input.messageTs);
  if (!message) throw new Error(`no message ${input.messageTs} in ${channel.id}`);
  const payload = messageShortcutPayload(ctx.workspace, {
    user,
    channel,
    message,
    callbackId: input.callbackId,
    triggerId: ctx.workspace.issueTrigger(user.id),
    responseUrl: ctx.responseUrl({ channel: channel.id, user: user.id, fromEphemeral: false }),
    actionTs: ctx.workspace.nextTs(),
  });
  return ctx.send('interactive', payload);
}

/** Where an element was acted on (a message, an ephemeral message or a view) and that surface's blocks. */
function actionSource(
  ctx: ActionContext,
  input: { channelId: string; messageTs: string } | { viewId: string },
  user: SlackUser,
): { source: BlockActionInput['source']; blocks: unknown } {
  if ('viewId' in input) {
    const view = ctx.workspace.views.get(input.viewId);
    if (!view || view.user !== user.id) throw new Error(`view ${input.viewId} is not open for ${user.id}`);
    return { source: { kind: 'view', view }, blocks: view.definition['blocks'] };
  }
  const channel = ctx.channel(input.channelId);
  const message = ctx.workspace.message(channel.id, input.messageTs);
  const ephemeral = message ? undefined : ctx.workspace.ephemeral(input.messageTs);
  if (!message && (!ephemeral || ephemeral.user !== user.id || ephemeral.channel !== channel.id)) {
    throw new Error(`no message ${input.messageTs} in ${channel.id}`);
  }
  const threadTs =
    message?.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  const responseUrl = ctx.responseUrl({
    channel: channel.id,
    user: user.id,
    messageTs: input.messageTs,
    fromEphemeral: !message,
    ...(threadTs === undefined ? {} : { threadTs }),
  });
  if (message) return { source: { kind: 'message', channel, message, responseUrl }, blocks: message.blocks };
  if (ephemeral) {
    return {
      source: { kind: 'ephemeral', channel, message: ephemeral, responseUrl },
      blocks: ephemeral.blocks,
    };
  }
  throw new Error('unreachable');
}
