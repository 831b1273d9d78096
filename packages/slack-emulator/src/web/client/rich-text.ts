/** A `rich_text` block's element (section, list, quote, preformatted) as the page draws it. */
import type { JsonObject } from '../../types.js';
import type { RenderContext } from './blocks.js';
import { h } from './dom.js';
import { isObject, list, str } from './json-read.js';
import { isSafeUrl, plainText } from './mrkdwn.js';

export function richText(element: JsonObject, ctx: RenderContext): HTMLElement {
  const inline = (e: JsonObject): Node => {
    const style = isObject(e['style']) ? e['style'] : {};
    let node: Node;
    if (e['type'] === 'link') {
      const url = str(e, 'url');
      node = isSafeUrl(url)
        ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, str(e, 'text') || url)
        : document.createTextNode(str(e, 'text') || url);
    } else if (e['type'] === 'user')
      node = h(
        'span',
        { class: 'mention' },
        `@${ctx.users.get(str(e, 'user_id'))?.name ?? str(e, 'user_id')}`,
      );
    else if (e['type'] === 'emoji') node = document.createTextNode(plainText(`:${str(e, 'name')}:`));
    else node = document.createTextNode(str(e, 'text'));
    if (style['code'] === true) node = h('code', {}, node);
    if (style['bold'] === true) node = h('strong', {}, node);
    if (style['italic'] === true) node = h('em', {}, node);
    if (style['strike'] === true) node = h('s', {}, node);
    return node;
  };
  const elements = list(element, 'elements');
  switch (element['type']) {
    case 'rich_text_preformatted':
      return h('pre', {}, elements.map(inline));
    case 'rich_text_quote':
      return h('blockquote', {}, elements.map(inline));
    case 'rich_text_list':
      return h(
        element['style'] === 'ordered' ? 'ol' : 'ul',
        {},
        elements.map((item) => h('li', {}, list(item, 'elements').map(inline))),
      );
    default:
      return h('div', {}, elements.map(inline));
  }
}
