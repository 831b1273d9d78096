/**
 * The emulator page: a Slack-like view of the local workspace. It keeps no state of its own beyond what the
 * person is looking at (user, channel, open thread, dismissed ephemerals); everything else is the server's
 * snapshot, fetched again whenever the server pushes a change, and drawn with keyed updates (dom.ts).
 */
import type { EphemeralMessage, StoredMessage } from '../../types.js';
import type { TestAlertKind, UiChannel, UiState, UiUser } from '../protocol.js';
import { fetchState, post, subscribe } from './api.js';
import { renderBlocks, type RenderContext } from './blocks.js';
import { h, hash, keepAtBottom, reconcile, type Keyed } from './dom.js';
import { renderMessage } from './messages.js';
import { createModalHost } from './modal.js';
import { renderPhone, type Answer } from './phone.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
};

const view = {
  state: undefined as UiState | undefined,
  user: localStorage.getItem('hikeshi.user') ?? '',
  channel: undefined as string | undefined,
  home: false,
  thread: undefined as string | undefined,
  dismissed: new Set<string>(),
  ringing: new Set<string>(),
};

// ------------------------------------------------------------------------------------------------- toasts

function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  const item = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : undefined }, text);
  $('toasts').appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 10_000 : 5_000);
}

/** Runs an action; a failure is shown (and rethrown, so the caller can re-enable its button). */
async function act(run: () => Promise<string | undefined>): Promise<void> {
  try {
    const detail = await run();
    if (detail !== undefined) toast(detail);
  } catch (error) {
    toast(error instanceof Error ? error.message : String(error), 'error');
    throw error;
  }
}

// ------------------------------------------------------------------------------------------------ context

function context(state: UiState): RenderContext {
  return {
    users: new Map<string, UiUser>(state.users.map((u) => [u.id, u])),
    channels: new Map<string, UiChannel>(state.channels.map((c) => [c.id, c])),
  };
}

const modal = createModalHost({
  submit: (viewId, values) => act(() => post('submit', { user: view.user, viewId, values })),
  close: (viewId) => act(() => post('close', { user: view.user, viewId })),
  click: (viewId, b) => act(() => post('click', { user: view.user, viewId, ...b })),
});
document.body.appendChild(modal.element);

function messageItems(
  state: UiState,
  channel: string,
  messages: (StoredMessage | EphemeralMessage)[],
  inThread: boolean,
): Keyed[] {
  const ctx = context(state);
  return messages.map((message) => {
    // Stored messages carry the team; ephemeral ones (never stored in the channel) do not.
    const ephemeral = !('team' in message);
    return {
      key: `${ephemeral ? 'e' : 'm'}${message.ts}`,
      signature: hash(JSON.stringify([message, inThread, state.users.length])),
      render: () =>
        renderMessage(message, {
          ephemeral,
          inThread,
          ctx,
          handlers: {
            ...(inThread ? {} : { openThread: (ts: string) => openThread(ts) }),
            click: (messageTs, b) => act(() => post('click', { user: view.user, channel, messageTs, ...b })),
            dismiss: (ts) => {
              view.dismissed.add(ts);
              render();
            },
          },
        }),
    };
  });
}

const byTs = (a: { ts: string }, b: { ts: string }) => Number(a.ts) - Number(b.ts);

// ------------------------------------------------------------------------------------------------- render

function render(): void {
  const state = view.state;
  if (!state) return;
  const channel = state.channels.find((c) => c.id === view.channel) ?? state.channels.find((c) => c.id === state.alertChannel);
  view.channel = channel?.id;
  renderUsers(state);
  renderChannels(state);

  const title = view.home ? 'Hikeshi · Home' : `${channel?.isIm ? '' : '#'}${channel?.name ?? ''}`;
  $('channel-title').textContent = title;
  $('channel-purpose').textContent = view.home ? 'The app’s Home tab, as you see it' : '';
  $('composer-label').textContent = `Message ${title}`;
  $<HTMLInputElement>('composer-input').placeholder = `Message ${title}, or /incident help`;
  $('composer').hidden = view.home;
  $('messages').hidden = view.home;
  $('home-view').hidden = !view.home;
  $('home-button').setAttribute('aria-current', view.home ? 'page' : 'false');

  const ctx = context(state);
  const mine = state.ephemerals.filter((e) => !view.dismissed.has(e.ts));
  if (view.home) {
    const home = state.home;
    reconcile(
      $('home-view'),
      home
        ? [
            {
              key: home.id,
              signature: hash(JSON.stringify(home.definition)),
              render: () => renderBlocks(home.definition['blocks'], { ...ctx, onButton: (b) => act(() => post('click', { user: view.user, viewId: home.id, ...b })) }),
            },
          ]
        : [{ key: 'opening', signature: '', render: () => h('p', { class: 'muted' }, 'Opening Home…') }],
    );
  } else if (channel) {
    const shown = (state.messages[channel.id] ?? []).filter(
      (m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast',
    );
    const ephemerals = mine.filter((e) => e.channel === channel.id && e.thread_ts === undefined);
    keepAtBottom($('channel-scroller'), () =>
      reconcile($('messages'), messageItems(state, channel.id, [...shown, ...ephemerals].sort(byTs), false)),
    );
  }
  renderThread(state, channel?.id, mine);
  modal.update(state.modal, ctx);
  renderPhone($('phone'), state.phone, (callId: string, answer: Answer) => act(() => post('phone', { callId, answer })));
  for (const call of state.phone.calls) {
    if (call.status === 'ringing' && !view.ringing.has(call.id)) toast(`📳 The phone is ringing: a call to ${call.callee ?? call.to}`);
  }
  view.ringing = new Set(state.phone.calls.filter((c) => c.status === 'ringing').map((c) => c.id));
  renderTestAlerts(state);
}

function renderThread(state: UiState, channel: string | undefined, mine: EphemeralMessage[]): void {
  const all = channel === undefined ? [] : (state.messages[channel] ?? []);
  const parent = all.find((m) => m.ts === view.thread);
  $('thread').hidden = parent === undefined || view.home;
  if (!parent || channel === undefined) {
    reconcile($('thread-messages'), []);
    return;
  }
  const replies = all.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
  const ephemerals = mine.filter((e) => e.channel === channel && e.thread_ts === parent.ts);
  keepAtBottom($('thread-scroller'), () =>
    reconcile($('thread-messages'), messageItems(state, channel, [parent, ...[...replies, ...ephemerals].sort(byTs)], true)),
  );
}

let usersKey = '';
function renderUsers(state: UiState): void {
  const select = $<HTMLSelectElement>('user-select');
  const people = state.users.filter((u) => !u.isBot);
  const key = JSON.stringify(people);
  if (key !== usersKey) {
    usersKey = key;
    select.replaceChildren(...people.map((u) => h('option', { value: u.id }, `${u.realName} (@${u.name})`)));
  }
  select.value = state.user;
}

function renderChannels(state: UiState): void {
  reconcile(
    $('channel-list'),
    state.channels.map((c) => {
      const current = !view.home && c.id === view.channel;
      return {
        key: c.id,
        signature: `${c.name}${current}`,
        render: () =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'side-item',
                'aria-current': current ? 'page' : 'false',
                onclick: () => {
                  view.channel = c.id;
                  view.home = false;
                  view.thread = undefined;
                  render();
                },
              },
              c.isIm ? '✉ ' : '# ',
              c.name,
            ),
          ),
      };
    }),
  );
}

let testAlertsDrawn = false;
function renderTestAlerts(state: UiState): void {
  if (testAlertsDrawn) return;
  testAlertsDrawn = true;
  const menu = $<HTMLDetailsElement>('test-alerts');
  const list = menu.querySelector('.menu-list');
  list?.replaceChildren(
    ...state.testAlerts.map((t) =>
      h(
        'button',
        {
          type: 'button',
          class: 'menu-item',
          'data-kind': t.kind,
          onclick: () => {
            menu.open = false;
            void sendTestAlert(t.kind).catch(() => undefined);
          },
        },
        h('strong', {}, t.label),
        h('span', { class: 'muted' }, t.description),
      ),
    ),
  );
}

function sendTestAlert(kind: TestAlertKind): Promise<void> {
  return act(() => post('test-alert', { kind }));
}

function openThread(ts: string): void {
  view.thread = ts;
  render();
  $('thread-input').focus();
}

// ---------------------------------------------------------------------------------------------- refreshes

let pending: ReturnType<typeof setTimeout> | undefined;
function refreshSoon(): void {
  pending ??= setTimeout(() => {
    pending = undefined;
    fetchState(view.user)
      .then((state) => {
        view.state = state;
        view.user = state.user;
        render();
      })
      .catch((error: unknown) => toast(`Could not load the workspace: ${String(error)}`, 'error'));
  }, 30);
}

function wireComposer(form: HTMLFormElement, input: HTMLInputElement, threadTs: () => string | undefined): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const channel = view.channel;
    if (text === '' || channel === undefined) return;
    const thread = threadTs();
    const body = { user: view.user, channel, text, ...(thread === undefined ? {} : { threadTs: thread }) };
    input.disabled = true;
    act(() => post(text.startsWith('/') ? 'command' : 'message', body))
      .then(() => {
        input.value = '';
      })
      .catch(() => undefined)
      .finally(() => {
        input.disabled = false;
        input.focus();
      });
  });
}

function start(): void {
  wireComposer($('composer'), $('composer-input'), () => undefined);
  wireComposer($('thread-composer'), $('thread-input'), () => view.thread);
  $('thread-close').addEventListener('click', () => {
    view.thread = undefined;
    render();
  });
  $('thread').addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    view.thread = undefined;
    render();
    $('composer-input').focus();
  });
  $('user-select').addEventListener('change', (event) => {
    view.user = (event.target as HTMLSelectElement).value;
    localStorage.setItem('hikeshi.user', view.user);
    view.dismissed.clear();
    if (view.home) void act(() => post('home', { user: view.user })).catch(() => undefined);
    refreshSoon();
  });
  $('home-button').addEventListener('click', () => {
    view.home = true;
    view.thread = undefined;
    render();
    void act(() => post('home', { user: view.user })).catch(() => undefined);
  });
  subscribe(refreshSoon, (connected) => {
    const badge = $('connection');
    badge.textContent = connected ? 'live' : 'reconnecting…';
    badge.classList.toggle('offline', !connected);
  });
}

start();
