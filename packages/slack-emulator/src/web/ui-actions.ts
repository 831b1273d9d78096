/**
 * What the page's POSTs do. Each body is validated, then turned into what a person does in Slack (the emulator's
 * `actions`: real payloads delivered to the Bolt app) or, for the host's menu and phone, handed to the host app.
 * Nothing here calls into the app: it cannot tell the page from Slack.
 */
import { z } from 'zod';
import { AckTimeoutError, type SlackEmulator } from '../index.js';
import type { Workspace } from '../workspace.js';
import type { UiAction } from './protocol.js';
import type { PageMenu, PhonePanel } from './ui-server.js';

/** A failure to show the person as is, with the HTTP status the page gets. */
export class UiActionError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface UiActionDeps {
  emulator: SlackEmulator;
  menu?: PageMenu | undefined;
  phone?: PhonePanel | undefined;
}

const id = z.string().min(1).max(64);
const text = z.string().trim().min(1, 'type something first').max(4000);
const schemas = {
  command: z.object({ user: id, channel: id, text, threadTs: id.optional() }),
  message: z.object({ user: id, channel: id, text, threadTs: id.optional() }),
  click: z.object({
    user: id,
    actionId: z.string().min(1).max(255),
    value: z.string().max(2000).optional(),
    /** An overflow menu's chosen option (Slack's option values are at most 150 characters). */
    optionValue: z.string().min(1).max(150).optional(),
    channel: id.optional(),
    messageTs: id.optional(),
    viewId: id.optional(),
  }),
  shortcut: z.object({ user: id, channel: id, messageTs: id, callbackId: z.string().min(1).max(255) }),
  delete: z.object({ user: id, channel: id, messageTs: id }),
  submit: z.object({
    user: id,
    viewId: id,
    values: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])),
  }),
  close: z.object({ user: id, viewId: id }),
  home: z.object({ user: id }),
  menu: z.object({ id }),
  phone: z.object({ callId: id, answer: z.enum(['accept', 'decline', 'no_answer']) }),
} satisfies Record<UiAction, z.ZodType>;

function parse<A extends UiAction>(action: A, body: unknown): z.infer<(typeof schemas)[A]> {
  const result = schemas[action].safeParse(body);
  if (result.success) return result.data as z.infer<(typeof schemas)[A]>;
  const issue = result.error.issues[0];
  throw new UiActionError(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** `/deploy status api` → `{command: '/deploy', text: 'status api'}`. */
export function splitCommand(input: string): { command: string; text: string } {
  const match = /^(\/[\w-]+)\s*([\s\S]*)$/.exec(input.trim());
  if (!match?.[1]) throw new UiActionError('a slash command starts with /, e.g. /deploy status');
  return { command: match[1].toLowerCase(), text: (match[2] ?? '').trim() };
}

/**
 * As Slack does for a command declared with `should_escape: true`: `@alice` is sent as `<@U0ALICE01|alice>` and
 * `#general` as `<#C0GENERAL|general>`, for the names the workspace knows.
 */
export function escapeCommandText(text: string, workspace: Workspace): string {
  const users = [...workspace.users.values()];
  return text
    .replace(/(^|\s)@([\w.-]+)/g, (all, space: string, name: string) => {
      const user = users.find((u) => u.name === name);
      return user ? `${space}<@${user.id}|${user.name}>` : all;
    })
    .replace(/(^|\s)#([\w-]+)/g, (all, space: string, name: string) => {
      const channel = [...workspace.channels.values()].find((c) => !c.is_im && c.name === name);
      return channel ? `${space}<#${channel.id}|${channel.name}>` : all;
    });
}

/** What Slack shows when an app does not answer a command in time. */
function describe(error: unknown, what: string): Error {
  if (error instanceof AckTimeoutError) {
    return new UiActionError(
      `${what} failed with the error "operation_timeout" (the app did not answer)`,
      504,
    );
  }
  if (error instanceof UiActionError) return error;
  return new UiActionError(error instanceof Error ? error.message : String(error), 502);
}

/** Performs one action; resolves to an optional line for the page. */
export async function performUiAction(
  action: UiAction,
  body: unknown,
  deps: UiActionDeps,
): Promise<string | undefined> {
  const actions = deps.emulator.actions;
  if (!(action in schemas)) throw new UiActionError(`unknown action ${action}`, 404);
  let what = 'That';
  try {
    switch (action) {
      case 'command': {
        const input = parse('command', body);
        const { command, text: args } = splitCommand(input.text);
        what = command;
        await actions.runCommand({
          userId: input.user,
          channelId: input.channel,
          command,
          // Slack sends no thread with a command, even one typed in a thread's composer.
          text: escapeCommandText(args, deps.emulator.workspace),
        });
        return undefined;
      }
      case 'message': {
        const input = parse('message', body);
        const thread = input.threadTs === undefined ? {} : { threadTs: input.threadTs };
        // "@<bot name>" typed on the page is a mention of the bot, which Slack delivers as an app_mention event.
        const bot = deps.emulator.workspace.bot;
        const mention = new RegExp(`(^|\\s)@${bot.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
        if (mention.test(input.text) || input.text.includes(`<@${bot.userId}>`)) {
          const tagged = input.text.replace(mention, `$1<@${bot.userId}>`);
          await actions.mention({ userId: input.user, channelId: input.channel, text: tagged, ...thread });
          return undefined;
        }
        // A plain message is posted to the channel and reaches no app: the emulator delivers no message events.
        deps.emulator.workspace.postMessage({
          channel: input.channel,
          user: input.user,
          text: input.text,
          ...thread,
        });
        return undefined;
      }
      case 'click': {
        const input = parse('click', body);
        const value = input.value === undefined ? {} : { value: input.value };
        const where =
          input.viewId !== undefined
            ? { viewId: input.viewId }
            : input.channel !== undefined && input.messageTs !== undefined
              ? { channelId: input.channel, messageTs: input.messageTs }
              : undefined;
        if (where === undefined) throw new UiActionError('a click names a view, or a channel and a message');
        const who = { userId: input.user, actionId: input.actionId };
        if (input.optionValue !== undefined) {
          await actions.chooseOption({ ...who, optionValue: input.optionValue, ...where });
        } else {
          await actions.clickButton({ ...who, ...value, ...where });
        }
        return undefined;
      }
      case 'shortcut': {
        const input = parse('shortcut', body);
        what = 'The shortcut';
        await actions.runMessageShortcut({
          userId: input.user,
          channelId: input.channel,
          messageTs: input.messageTs,
          callbackId: input.callbackId,
        });
        return undefined;
      }
      case 'delete': {
        const input = parse('delete', body);
        // As a workspace admin can in Slack: the message goes, with its thread's replies left as they are.
        if (!deps.emulator.workspace.deleteMessage(input.channel, input.messageTs)) {
          throw new UiActionError('That message has already gone', 404);
        }
        return undefined;
      }
      case 'submit': {
        const input = parse('submit', body);
        await actions.submitView({ userId: input.user, viewId: input.viewId, values: input.values });
        return undefined;
      }
      case 'close': {
        const input = parse('close', body);
        await actions.closeView({ userId: input.user, viewId: input.viewId });
        return undefined;
      }
      case 'home': {
        const input = parse('home', body);
        await actions.openAppHome(input.user);
        return undefined;
      }
      case 'menu': {
        const input = parse('menu', body);
        if (!deps.menu?.items.some((item) => item.id === input.id)) {
          throw new UiActionError(`id: no menu item ${input.id}`);
        }
        return await deps.menu.run(input.id);
      }
      case 'phone': {
        const input = parse('phone', body);
        if (!deps.phone) throw new UiActionError('there is no phone on this page', 404);
        return await deps.phone.answer(input.callId, input.answer);
      }
    }
  } catch (error) {
    throw describe(error, what);
  }
}
