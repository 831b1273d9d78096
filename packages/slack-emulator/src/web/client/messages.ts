/**
 * One message as Slack draws it: avatar, name (with an APP badge for the bot), time, the blocks (or the text when
 * there are none), the attachments with their colour bars, and the thread summary. Ephemeral messages get the
 * "Only visible to you" line and a Dismiss button, as in Slack.
 */
import type { EphemeralMessage, StoredMessage } from '../../types.js';
import {
  renderAttachment,
  renderBlocks,
  renderMrkdwn,
  type ElementAction,
  type RenderContext,
} from './blocks.js';
import { h } from './dom.js';
import { clock, timeOf } from './time.js';

export interface MessageHandlers {
  /** Opens the thread of `ts`; absent inside the thread pane itself. */
  openThread?(ts: string): void;
  click(messageTs: string, button: ElementAction): Promise<void>;
  dismiss(ts: string): void;
  /** The app's message shortcuts, offered in the message's ⋮ menu. */
  shortcuts: readonly { name: string; callbackId: string }[];
  shortcut(messageTs: string, callbackId: string): Promise<void>;
  /** Deletes the message, as its author or a workspace admin can in Slack. */
  remove(messageTs: string): Promise<void>;
}

const AVATAR_COLOURS = ['#E01E5A', '#2EB67D', '#1264A3', '#ECB22E', '#611F69', '#36C5F0'];

function avatar(userId: string, name: string, isBot: boolean): HTMLElement {
  const sum = [...userId].reduce((n, c) => n + c.charCodeAt(0), 0);
  const element = h(
    'div',
    { class: `avatar${isBot ? ' bot' : ''}`, 'aria-hidden': 'true' },
    isBot ? '🔥' : name.charAt(0).toUpperCase(),
  );
  if (!isBot) element.style.background = AVATAR_COLOURS[sum % AVATAR_COLOURS.length] ?? '#1264A3';
  return element;
}

export function renderMessage(
  message: StoredMessage | EphemeralMessage,
  options: { ephemeral: boolean; inThread: boolean; ctx: RenderContext; handlers: MessageHandlers },
): HTMLElement {
  const { ctx, handlers } = options;
  const isBot = message.bot_id !== undefined || ctx.users.get(message.user)?.isBot === true;
  const name = isBot ? (ctx.botName ?? 'app') : (ctx.users.get(message.user)?.name ?? message.user);
  const buttons: RenderContext = { ...ctx, onButton: (button) => handlers.click(message.ts, button) };
  const stored = options.ephemeral ? undefined : (message as StoredMessage);
  const hasBlocks = message.blocks.length > 0;
  const replies = stored?.reply_count ?? 0;
  const isParent = stored !== undefined && (stored.thread_ts === undefined || stored.thread_ts === stored.ts);
  const time = clock(message.ts);

  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: 'name' }, name),
    isBot ? h('span', { class: 'badge' }, 'APP') : undefined,
    h('time', { datetime: timeOf(message.ts).toISOString() }, time),
    stored?.edited ? h('span', { class: 'edited' }, '(edited)') : undefined,
  );
  const body = h(
    'div',
    { class: 'msg-body' },
    options.ephemeral
      ? h(
          'div',
          { class: 'ephemeral-note' },
          h('span', { 'aria-hidden': 'true' }, '👁 '),
          'Only visible to you',
          h(
            'button',
            { type: 'button', class: 'link-button', onclick: () => handlers.dismiss(message.ts) },
            'Dismiss',
          ),
        )
      : undefined,
    meta,
    stored?.subtype === 'thread_broadcast' && !options.inThread
      ? h('div', { class: 'broadcast-note' }, 'replied to a thread')
      : undefined,
    hasBlocks
      ? renderBlocks(message.blocks, buttons)
      : h('div', { class: 'msg-text' }, renderMrkdwn(message.text, buttons)),
    message.attachments.map((a) => renderAttachment(a, buttons)),
    replies > 0 && isParent && !options.inThread && handlers.openThread
      ? h(
          'button',
          { type: 'button', class: 'thread-summary', onclick: () => handlers.openThread?.(message.ts) },
          `${replies} ${replies === 1 ? 'reply' : 'replies'}`,
          stored?.latest_reply
            ? h('span', { class: 'thread-last' }, ` · last reply ${clock(stored.latest_reply)}`)
            : undefined,
        )
      : undefined,
  );
  const reply =
    isParent && !options.inThread && handlers.openThread
      ? h(
          'button',
          {
            type: 'button',
            class: 'tool',
            title: 'Reply in thread',
            'aria-label': `Reply in thread to ${name} at ${time}`,
            onclick: () => handlers.openThread?.(message.ts),
          },
          '💬',
        )
      : undefined;
  const tools = h(
    'div',
    { class: 'msg-tools' },
    reply,
    stored ? messageMenu(stored.ts, `${name} at ${time}`, handlers) : undefined,
  );
  return h(
    'article',
    {
      class: `msg${options.ephemeral ? ' ephemeral' : ''}`,
      'aria-label': `${options.ephemeral ? 'Only visible to you: ' : ''}${name} at ${time}`,
      'data-ts': message.ts,
    },
    avatar(message.user, name, isBot),
    body,
    tools,
  );
}

/** The message's ⋮ menu, as in Slack: the app's message shortcuts, then Delete message. */
function messageMenu(ts: string, label: string, handlers: MessageHandlers): HTMLElement {
  const menu = h('details', { class: 'overflow msg-menu' });
  const item = (text: string, run: () => Promise<void>, danger = false) => {
    const button = h(
      'button',
      { type: 'button', role: 'menuitem', class: `overflow-option${danger ? ' danger' : ''}` },
      text,
    );
    button.addEventListener('click', () => {
      menu.open = false;
      run().catch(() => undefined);
    });
    return button;
  };
  menu.append(
    h(
      'summary',
      {
        class: 'tool',
        role: 'button',
        'aria-haspopup': 'menu',
        title: 'Message actions',
        'aria-label': `Message actions for ${label}`,
      },
      '⋮',
    ),
    h(
      'div',
      { class: 'overflow-menu', role: 'menu' },
      handlers.shortcuts.map((s) => item(s.name, () => handlers.shortcut(ts, s.callbackId))),
      item('Delete message', () => handlers.remove(ts), true),
    ),
  );
  return menu;
}
