/**
 * Payloads exactly as Slack builds them for an app: slash commands, block_actions, view_submission and
 * view_closed, and the Events API `event_callback` wrapper. Field lists follow the reference pages under
 * https://docs.slack.dev/reference/interaction-payloads and …/events.
 */
import { randomBytes } from 'node:crypto';
import { toSlackMessage } from './messages.js';
import type { WorkspaceIdentity } from './seed.js';
import { toSlackView } from './view-store.js';
import type {
  EphemeralMessage,
  JsonObject,
  SlackChannel,
  SlackUser,
  StoredMessage,
  StoredView,
} from './types.js';

/** The deprecated verification token Slack still sends in every payload. */
export const VERIFICATION_TOKEN = 'emulatorVerificationToken';

const teamOf = (ws: WorkspaceIdentity): JsonObject => ({ id: ws.team.id, domain: ws.team.domain });

function interactionUser(ws: WorkspaceIdentity, user: SlackUser): JsonObject {
  return { id: user.id, username: user.name, name: user.name, team_id: ws.team.id };
}

function channelName(channel: SlackChannel): string {
  return channel.is_im ? 'directmessage' : channel.name;
}

export interface CommandInput {
  user: SlackUser;
  channel: SlackChannel;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/**
 * Every value is a string: over HTTP this is the form body, over Socket Mode the same fields as JSON. Exactly the
 * documented fields (https://docs.slack.dev/interactivity/implementing-slash-commands): none says where in the
 * channel the command was typed, so a command typed in a thread carries no thread.
 */
export function slashCommandPayload(ws: WorkspaceIdentity, input: CommandInput): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.team.id,
    team_domain: ws.team.domain,
    channel_id: input.channel.id,
    channel_name: channelName(input.channel),
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: ws.bot.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export interface MessageShortcutInput {
  user: SlackUser;
  channel: SlackChannel;
  message: StoredMessage;
  callbackId: string;
  triggerId: string;
  responseUrl: string;
  actionTs: string;
}

/** A message shortcut (https://docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload). */
export function messageShortcutPayload(ws: WorkspaceIdentity, input: MessageShortcutInput): JsonObject {
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: input.actionTs,
    team: teamOf(ws),
    user: interactionUser(ws, input.user),
    channel: { id: input.channel.id, name: channelName(input.channel) },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: toSlackMessage(input.message, ws),
  };
}

export interface BlockActionInput {
  user: SlackUser;
  triggerId: string;
  /** The element acted on: a button, or an overflow menu with the option chosen from it. */
  button: { element: JsonObject; blockId: string; selectedOption?: JsonObject };
  actionTs: string;
  /** Where the button was: a message (with its response_url) or a view. */
  source:
    | { kind: 'message'; channel: SlackChannel; message: StoredMessage; responseUrl: string }
    | { kind: 'ephemeral'; channel: SlackChannel; message: EphemeralMessage; responseUrl: string }
    | { kind: 'view'; view: StoredView };
}

/**
 * The `actions[0]` Slack sends for the element: a button's text, value and style, or an overflow menu's
 * `selected_option` (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
 */
function elementAction(input: BlockActionInput): JsonObject {
  const { element, blockId, selectedOption } = input.button;
  if (element['type'] === 'overflow') {
    return {
      type: 'overflow',
      action_id: element['action_id'],
      block_id: blockId,
      selected_option: selectedOption ?? null,
      action_ts: input.actionTs,
    };
  }
  return {
    action_id: element['action_id'],
    block_id: blockId,
    text: element['text'],
    ...(element['value'] === undefined ? {} : { value: element['value'] }),
    ...(element['style'] === undefined ? {} : { style: element['style'] }),
    type: 'button',
    action_ts: input.actionTs,
  };
}

export function blockActionsPayload(ws: WorkspaceIdentity, input: BlockActionInput): JsonObject {
  const action = elementAction(input);
  const base: JsonObject = {
    type: 'block_actions',
    user: interactionUser(ws, input.user),
    api_app_id: ws.bot.appId,
    token: VERIFICATION_TOKEN,
  };
  const source = input.source;
  if (source.kind === 'view') {
    return {
      ...base,
      container: { type: 'view', view_id: source.view.id },
      trigger_id: input.triggerId,
      team: teamOf(ws),
      enterprise: null,
      is_enterprise_install: false,
      view: toSlackView(source.view),
      state: { values: {} },
      actions: [action],
    };
  }
  const ephemeral = source.kind === 'ephemeral';
  return {
    ...base,
    container: {
      type: 'message',
      message_ts: source.message.ts,
      channel_id: source.channel.id,
      is_ephemeral: ephemeral,
    },
    trigger_id: input.triggerId,
    team: teamOf(ws),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: source.channel.id, name: channelName(source.channel) },
    // Slack omits the message for ephemeral sources: the app never stored it.
    ...(source.kind === 'message' ? { message: toSlackMessage(source.message, ws) } : {}),
    state: { values: {} },
    response_url: source.responseUrl,
    actions: [action],
  };
}

export function viewSubmissionPayload(
  ws: WorkspaceIdentity,
  user: SlackUser,
  view: StoredView,
  values: JsonObject,
  triggerId: string,
) {
  return {
    type: 'view_submission',
    team: teamOf(ws),
    user: interactionUser(ws, user),
    api_app_id: ws.bot.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId,
    view: toSlackView(view, { values }),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosedPayload(
  ws: WorkspaceIdentity,
  user: SlackUser,
  view: StoredView,
  isCleared: boolean,
) {
  return {
    type: 'view_closed',
    team: teamOf(ws),
    user: interactionUser(ws, user),
    api_app_id: ws.bot.appId,
    token: VERIFICATION_TOKEN,
    view: toSlackView(view),
    is_cleared: isCleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The Events API wrapper: the same body over HTTP (JSON) and inside an events_api envelope. */
export function eventCallback(ws: WorkspaceIdentity, event: JsonObject, eventTime: number): JsonObject {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.team.id,
    context_team_id: ws.team.id,
    context_enterprise_id: null,
    api_app_id: ws.bot.appId,
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.team.id,
        user_id: ws.bot.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(24).toString('base64url')}`,
  };
}
