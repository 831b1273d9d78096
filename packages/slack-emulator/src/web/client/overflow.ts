/** An overflow menu ("⋮") as the page draws it. */
import type { JsonObject } from '../../types.js';
import type { RenderContext } from './blocks.js';
import { h } from './dom.js';
import { list, str } from './json-read.js';
import { plainText } from './mrkdwn.js';

const textOf = (value: unknown): string =>
  typeof value === 'object' && value !== null ? plainText(str(value as JsonObject, 'text')) : '';

/**
 * An overflow menu as Slack draws it: a "⋮" button opening a list of its options; choosing one sends the
 * option (block_actions with `selected_option`) and closes the list.
 */
export function renderOverflow(element: JsonObject, ctx: RenderContext): HTMLElement {
  const actionId = str(element, 'action_id');
  const menu = h('details', { class: 'overflow', 'data-action-id': actionId });
  const options = list(element, 'options').map((option) => {
    const value = str(option, 'value');
    const item = h(
      'button',
      { type: 'button', role: 'menuitem', class: 'overflow-option' },
      textOf(option['text']),
    );
    item.addEventListener('click', () => {
      menu.open = false;
      if (!ctx.onButton) return;
      menu.setAttribute('aria-busy', 'true');
      ctx
        .onButton({ actionId, optionValue: value })
        .finally(() => menu.removeAttribute('aria-busy'))
        .catch(() => undefined);
    });
    return item;
  });
  menu.append(
    h(
      'summary',
      {
        class: 'btn overflow-button',
        role: 'button',
        'aria-haspopup': 'menu',
        title: 'More actions',
        'aria-label': 'More actions',
      },
      '⋮',
    ),
    h('div', { class: 'overflow-menu', role: 'menu' }, options),
  );
  return menu;
}
