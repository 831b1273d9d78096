/**
 * The parts of the page that name the app (protocol.ts `UiApp`): its name and icon, the titles, the commands
 * named under the message box and suggested as one types, and the host app's own menu in the top bar.
 */
import type { UiApp, UiMenu } from '../protocol.js';
import { h } from './dom.js';
import { $ } from './feedback.js';

/** The top bar's menu; its id is the host's (`UiMenu.id`), so it is found by its class. */
function menuElement(): HTMLDetailsElement {
  const menu = document.querySelector<HTMLDetailsElement>('details.menu');
  if (!menu) throw new Error('details.menu is missing from index.html');
  return menu;
}

export const homeTitle = (app: UiApp): string => `${app.name} · Home`;

export function pageTitle(app: UiApp, ringing: boolean): string {
  return `${ringing ? '📳 ' : ''}${app.name} · local Slack`;
}

let appKey = '';
export function renderApp(app: UiApp, botName: string): void {
  const key = JSON.stringify([app, botName]);
  if (key === appKey) return;
  appKey = key;
  $('brand-icon').textContent = app.icon;
  $('brand-name').textContent = app.name;
  $('home-button').textContent = `${app.icon} ${homeTitle(app)}`;
  $<HTMLInputElement>('thread-input').placeholder = app.threadHint ?? 'Reply…';
  $('commands').replaceChildren(...app.commandHints.map((value) => h('option', { value })));
  const commands = app.commands.flatMap((command) => [h('kbd', {}, command), ' ']);
  $('composer-hint').replaceChildren(
    ...(commands.length > 0 ? [...commands, 'run as the person chosen above · '] : []),
    h('kbd', {}, `@${botName}`),
    ' mentions the bot',
  );
}

let menuKey = '';
export function renderMenu(menu: UiMenu | undefined, run: (itemId: string) => void): void {
  const element = menuElement();
  const key = JSON.stringify(menu ?? null);
  if (key === menuKey) return;
  menuKey = key;
  element.hidden = menu === undefined;
  if (!menu) return;
  element.id = menu.id;
  const summary = element.querySelector('summary');
  if (summary) summary.textContent = menu.label;
  const list = element.querySelector('.menu-list');
  list?.setAttribute('aria-label', menu.label);
  list?.replaceChildren(
    ...menu.items.map((item) =>
      h(
        'button',
        {
          type: 'button',
          class: 'menu-item',
          'data-item': item.id,
          onclick: () => {
            element.open = false;
            run(item.id);
          },
        },
        h('strong', {}, item.label),
        h('span', { class: 'muted' }, item.description),
      ),
    ),
  );
}

/** The menu closes like a menu: on Escape, and on a click anywhere else (messages' ⋮ menus too). */
export function wireMenus(): void {
  const menu = menuElement();
  document.addEventListener('click', (event) => {
    if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
    for (const open of document.querySelectorAll<HTMLDetailsElement>('details.overflow[open]')) {
      if (!open.contains(event.target as Node)) open.open = false;
    }
  });
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    menu.open = false;
    menu.querySelector('summary')?.focus();
  });
}
