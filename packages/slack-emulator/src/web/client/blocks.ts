/**
 * Block Kit to DOM, for messages, attachments, App Home and the non-input blocks of modals: header, section
 * (text, fields, accessory), context, divider, actions, image, rich_text, plus legacy attachment fields. Input
 * blocks are drawn by modal.ts. An unknown block is shown as a labelled placeholder rather than dropped, so a
 * message the emulator cannot draw is visibly incomplete instead of silently wrong.
 */
import type { JsonObject } from '../../types.js';
import type { UiChannel, UiUser } from '../protocol.js';
import { h } from './dom.js';
import { isObject, list, str } from './json-read.js';
import { renderOverflow } from './overflow.js';
import { richText } from './rich-text.js';
import {
  formatSlackDate,
  isSafeUrl,
  parseMrkdwn,
  plainText,
  type MrkdwnNode,
  type ParseOptions,
} from './mrkdwn.js';

/** What the page sends when a person acts on an element: a button's value, or the option chosen in a menu. */
export interface ElementAction {
  actionId: string;
  value?: string;
  optionValue?: string;
}

export interface RenderContext {
  users: ReadonlyMap<string, UiUser>;
  channels: ReadonlyMap<string, UiChannel>;
  /** The app's bot user's name, shown on its messages. */
  botName?: string;
  /**
   * A button was pressed, or an overflow menu's option chosen (`optionValue`); resolves once the app
   * acknowledged it.
   */
  onButton?(button: ElementAction): Promise<void>;
}

export function renderMrkdwn(text: string, ctx: RenderContext, options: ParseOptions = {}): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const node of parseMrkdwn(text, options)) fragment.appendChild(renderNode(node, ctx));
  return fragment;
}

function renderNode(node: MrkdwnNode, ctx: RenderContext): Node {
  const children = (nodes: MrkdwnNode[]) => nodes.map((n) => renderNode(n, ctx));
  switch (node.kind) {
    case 'text':
      return document.createTextNode(node.text);
    case 'bold':
      return h('strong', {}, children(node.children));
    case 'italic':
      return h('em', {}, children(node.children));
    case 'strike':
      return h('s', {}, children(node.children));
    case 'code':
      return h('code', {}, node.text);
    case 'pre':
      return h('pre', {}, node.text);
    case 'quote':
      return h('blockquote', {}, children(node.children));
    case 'br':
      return h('br');
    case 'link':
      return isSafeUrl(node.url)
        ? h('a', { href: node.url, target: '_blank', rel: 'noopener noreferrer' }, node.label)
        : document.createTextNode(node.label);
    case 'user': {
      const user = ctx.users.get(node.id);
      return h('span', { class: 'mention' }, `@${user?.name ?? node.label ?? node.id}`);
    }
    case 'channel': {
      const channel = ctx.channels.get(node.id);
      return h('span', { class: 'mention' }, `#${channel?.name ?? node.label ?? node.id}`);
    }
    case 'broadcast':
      return h('span', { class: 'mention broadcast' }, `@${node.name}`);
    case 'date': {
      const text = formatSlackDate(node.epoch, node.format) || node.fallback;
      const time = h(
        'time',
        { datetime: new Date(node.epoch * 1000).toISOString(), title: node.fallback },
        text,
      );
      return node.url !== undefined && isSafeUrl(node.url)
        ? h('a', { href: node.url, target: '_blank', rel: 'noopener noreferrer' }, time)
        : time;
    }
  }
}

/** A text object: mrkdwn or plain_text. */
export function renderText(value: unknown, ctx: RenderContext): Node {
  if (!isObject(value)) return document.createTextNode('');
  const text = str(value, 'text');
  if (value['type'] === 'mrkdwn') return renderMrkdwn(text, ctx, { verbatim: value['verbatim'] === true });
  return document.createTextNode(plainText(text, value['emoji'] !== false));
}

export function textOf(value: unknown): string {
  return isObject(value) ? plainText(str(value, 'text')) : '';
}

export function renderBlocks(blocks: unknown, ctx: RenderContext): HTMLElement {
  const container = h('div', { class: 'blocks' });
  for (const block of Array.isArray(blocks) ? blocks.filter(isObject) : [])
    container.appendChild(renderBlock(block, ctx));
  return container;
}

export function renderBlock(block: JsonObject, ctx: RenderContext): HTMLElement {
  switch (block['type']) {
    case 'header':
      return h('h3', { class: 'block-header' }, renderText(block['text'], ctx));
    case 'section': {
      const fields = list(block, 'fields');
      const accessory = isObject(block['accessory']) ? renderElement(block['accessory'], ctx) : undefined;
      return h(
        'div',
        { class: `block-section${accessory ? ' has-accessory' : ''}` },
        h(
          'div',
          { class: 'section-body' },
          block['text'] !== undefined
            ? h('div', { class: 'section-text' }, renderText(block['text'], ctx))
            : undefined,
          fields.length > 0
            ? h(
                'div',
                { class: 'section-fields' },
                fields.map((f) => h('div', { class: 'field' }, renderText(f, ctx))),
              )
            : undefined,
        ),
        accessory ? h('div', { class: 'accessory' }, accessory) : undefined,
      );
    }
    case 'context':
      return h(
        'div',
        { class: 'block-context' },
        list(block, 'elements').map((e) =>
          e['type'] === 'image' ? image(e, 'context-image') : h('span', {}, renderText(e, ctx)),
        ),
      );
    case 'divider':
      return h('hr', { class: 'block-divider' });
    case 'actions':
      return h(
        'div',
        { class: 'block-actions', role: 'group', 'aria-label': 'Actions' },
        list(block, 'elements').map((e) => renderElement(e, ctx)),
      );
    case 'image':
      return h(
        'figure',
        { class: 'block-image' },
        block['title'] !== undefined ? h('figcaption', {}, textOf(block['title'])) : undefined,
        image(block, ''),
      );
    case 'rich_text':
      return h(
        'div',
        { class: 'block-rich' },
        list(block, 'elements').map((e) => richText(e, ctx)),
      );
    default:
      return h(
        'div',
        { class: 'block-unknown' },
        `[${String(block['type'])} block: not drawn by the emulator page]`,
      );
  }
}

function image(element: JsonObject, className: string): HTMLElement {
  const url = str(element, 'image_url');
  const alt = str(element, 'alt_text');
  return isSafeUrl(url) ? h('img', { class: className, src: url, alt, loading: 'lazy' }) : h('span', {}, alt);
}

/** An interactive element in a message, App Home or modal (not an input block's element). */
export function renderElement(element: JsonObject, ctx: RenderContext): HTMLElement {
  if (element['type'] === 'image') return image(element, 'accessory-image');
  if (element['type'] === 'overflow') return renderOverflow(element, ctx);
  if (element['type'] !== 'button') {
    return h(
      'span',
      { class: 'element-unsupported', title: 'The emulator page only sends buttons and overflow menus' },
      textOf(element['placeholder']) || `[${String(element['type'])}]`,
    );
  }
  const actionId = str(element, 'action_id');
  const value = typeof element['value'] === 'string' ? element['value'] : undefined;
  const url = str(element, 'url');
  const style = str(element, 'style');
  const button = h(
    'button',
    { type: 'button', class: `btn${style === '' ? '' : ` ${style}`}`, 'data-action-id': actionId },
    textOf(element['text']),
  );
  button.addEventListener('click', () => {
    if (url !== '' && isSafeUrl(url)) window.open(url, '_blank', 'noopener');
    if (!ctx.onButton) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    ctx
      .onButton({ actionId, ...(value === undefined ? {} : { value }) })
      .finally(() => {
        button.disabled = false;
        button.removeAttribute('aria-busy');
      })
      .catch(() => undefined);
  });
  return button;
}

const NAMED_COLOURS: Record<string, string> = { good: '#2EB67D', warning: '#ECB22E', danger: '#E01E5A' };

/** A legacy attachment: the colour bar, then its fields and/or blocks. */
export function renderAttachment(attachment: JsonObject, ctx: RenderContext): HTMLElement {
  const colour = str(attachment, 'color');
  const bar =
    NAMED_COLOURS[colour] ??
    (/^#?[0-9a-f]{3,8}$/i.test(colour) ? (colour.startsWith('#') ? colour : `#${colour}`) : '#dddddd');
  const titleLink = str(attachment, 'title_link');
  const title = str(attachment, 'title');
  const fields = list(attachment, 'fields');
  const footer = str(attachment, 'footer');
  const body = h(
    'div',
    { class: 'attachment-body' },
    str(attachment, 'author_name') !== ''
      ? h('div', { class: 'attachment-author' }, str(attachment, 'author_name'))
      : undefined,
    title !== ''
      ? h(
          'div',
          { class: 'attachment-title' },
          titleLink !== '' && isSafeUrl(titleLink)
            ? h('a', { href: titleLink, target: '_blank', rel: 'noopener noreferrer' }, title)
            : title,
        )
      : undefined,
    str(attachment, 'text') !== ''
      ? h('div', { class: 'attachment-text' }, renderMrkdwn(str(attachment, 'text'), ctx))
      : undefined,
    fields.length > 0
      ? h(
          'div',
          { class: 'section-fields' },
          fields.map((f) =>
            h(
              'div',
              { class: `field${f['short'] === true ? '' : ' wide'}` },
              h('strong', {}, str(f, 'title')),
              h('div', {}, renderMrkdwn(str(f, 'value'), ctx)),
            ),
          ),
        )
      : undefined,
    attachment['blocks'] !== undefined ? renderBlocks(attachment['blocks'], ctx) : undefined,
    footer !== '' ? h('div', { class: 'block-context' }, renderMrkdwn(footer, ctx)) : undefined,
  );
  const wrapper = h(
    'div',
    { class: 'attachment-wrap' },
    str(attachment, 'pretext') !== ''
      ? h('div', { class: 'attachment-pretext' }, renderMrkdwn(str(attachment, 'pretext'), ctx))
      : undefined,
    h('div', { class: 'attachment' }, h('div', { class: 'attachment-bar', 'aria-hidden': 'true' }), body),
  );
  wrapper.style.setProperty('--bar', bar);
  return wrapper;
}
