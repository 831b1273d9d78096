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
  const name = isBot ? 'hikeshi' : (ctx.users.get(message.user)?.name ?? message.user);
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
  const tools =
    isParent && !options.inThread && handlers.openThread
      ? h(
          'div',
          { class: 'msg-tools' },
          h(
            'button',
            {
              type: 'button',
              class: 'tool',
              title: 'Reply in thread',
              'aria-label': `Reply in thread to ${name} at ${time}`,
              onclick: () => handlers.openThread?.(message.ts),
            },
            '💬',
          ),
        )
      : undefined;
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
