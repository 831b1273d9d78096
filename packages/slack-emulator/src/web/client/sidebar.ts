/** The page's frame around the messages: the user switcher and the channel list. */
import type { UiChannel, UiUser } from '../protocol.js';
import { h, reconcile } from './dom.js';

let usersKey = '';
export function renderUsers(select: HTMLSelectElement, users: readonly UiUser[], current: string): void {
  const people = users.filter((u) => !u.isBot);
  const key = JSON.stringify(people);
  if (key !== usersKey) {
    usersKey = key;
    select.replaceChildren(...people.map((u) => h('option', { value: u.id }, `${u.realName} (@${u.name})`)));
  }
  select.value = current;
}

export function renderChannels(
  list: HTMLElement,
  channels: readonly UiChannel[],
  current: string | undefined,
  open: (id: string) => void,
): void {
  reconcile(
    list,
    channels.map((c) => ({
      key: c.id,
      signature: `${c.name}${c.id === current}`,
      render: () =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'side-item',
              'aria-current': c.id === current ? 'page' : 'false',
              onclick: () => open(c.id),
            },
            c.isIm ? '✉ ' : '# ',
            c.name,
          ),
        ),
    })),
  );
}
