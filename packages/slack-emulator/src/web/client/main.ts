/**
 * The emulator page: a Slack-like view of the local workspace. It keeps no state of its own beyond what the
 * person is looking at (user, channel, open thread, dismissed ephemerals); everything else is the server's
 * snapshot, fetched again whenever the server pushes a change, and drawn with keyed updates (dom.ts).
 */
import type { EphemeralMessage, StoredMessage } from '../../types.js';
import type { UiChannel, UiState, UiUser } from '../protocol.js';
import { fetchState, post, subscribe } from './api.js';
import { renderBlocks, type RenderContext } from './blocks.js';
import { h, hash, keepAtBottom, reconcile, type Keyed } from './dom.js';
import { renderMessage } from './messages.js';
import { $, act, toast } from './feedback.js';
import { createModalHost } from './modal.js';
import { renderPhone, type Answer } from './phone.js';
import { renderChannels, renderUsers } from './sidebar.js';
import { homeTitle, pageTitle, renderApp, renderMenu, wireMenus } from './chrome.js';

/** Who the visitor last was, kept across reloads. */
const USER_KEY = 'slack-emulator.user';

const view = {
  state: undefined as UiState | undefined,
  user: localStorage.getItem(USER_KEY) ?? '',
  channel: undefined as string | undefined,
  home: false,
  thread: undefined as string | undefined,
  dismissed: new Set<string>(),
  ringing: new Set<string>(),
};

// ------------------------------------------------------------------------------------------------ context

function context(state: UiState): RenderContext {
  return {
    users: new Map<string, UiUser>(state.users.map((u) => [u.id, u])),
    channels: new Map<string, UiChannel>(state.channels.map((c) => [c.id, c])),
    botName: state.bot.name,
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
      signature: hash(JSON.stringify([message, inThread, state.users.length, state.shortcuts])),
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
            shortcuts: state.shortcuts,
            shortcut: (messageTs, callbackId) =>
              act(() => post('shortcut', { user: view.user, channel, messageTs, callbackId })),
            remove: (messageTs) => act(() => post('delete', { user: view.user, channel, messageTs })),
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
  const channel =
    state.channels.find((c) => c.id === view.channel) ??
    state.channels.find((c) => c.id === state.defaultChannel);
  view.channel = channel?.id;
  renderUsers($('user-select'), state.users, state.user);
  renderChannels($('channel-list'), state.channels, view.home ? undefined : view.channel, (id) => {
    view.channel = id;
    view.home = false;
    view.thread = undefined;
    render();
  });

  renderApp(state.app, state.bot.name);
  const title = view.home ? homeTitle(state.app) : `${channel?.isIm ? '' : '#'}${channel?.name ?? ''}`;
  $('channel-title').textContent = title;
  $('channel-purpose').textContent = view.home ? 'The app’s Home tab, as you see it' : '';
  $('composer-label').textContent = `Message ${title}`;
  const help = state.app.helpCommand === undefined ? '' : `, or ${state.app.helpCommand}`;
  $<HTMLInputElement>('composer-input').placeholder = `Message ${title}${help}`;
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
              render: () =>
                renderBlocks(home.definition['blocks'], {
                  ...ctx,
                  onButton: (b) => act(() => post('click', { user: view.user, viewId: home.id, ...b })),
                }),
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
  const nameOf = (id: string) => ctx.users.get(id)?.realName ?? id;
  if (state.phone) {
    renderPhone(
      $('phone'),
      state.phone,
      (callId: string, answer: Answer) => act(() => post('phone', { callId, answer })),
      nameOf,
    );
  }
  // One notice per call, in the panel itself (a toast over the panel hid its buttons): the panel is marked as
  // ringing, the page title says so, and a new call is scrolled into view.
  const ringing = state.phone?.calls.filter((c) => c.status === 'ringing') ?? [];
  $('phone').classList.toggle('ringing', ringing.length > 0);
  document.title = pageTitle(state.app, ringing.length > 0);
  if (ringing.some((c) => !view.ringing.has(c.id))) {
    $('phone').querySelector('li.call.ringing')?.scrollIntoView({ block: 'nearest' });
  }
  view.ringing = new Set(ringing.map((c) => c.id));
  renderMenu(state.menu, (id) => {
    void act(() => post('menu', { id })).catch(() => undefined);
  });
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
    reconcile(
      $('thread-messages'),
      messageItems(state, channel, [parent, ...[...replies, ...ephemerals].sort(byTs)], true),
    ),
  );
}

function openThread(ts: string): void {
  view.thread = ts;
  render();
  $('thread-input').focus();
}

// ---------------------------------------------------------------------------------------------- refreshes

let pending: ReturnType<typeof setTimeout> | undefined;
/** The event stream is open. The badge says "live" only once the page's first snapshot is in, too. */
let connected = false;

/**
 * "live" means the page shows the workspace as it is and acts on it: the event stream is open and the first
 * snapshot of this page load has come back. That snapshot closes the person's modals (a reload does, in
 * Slack), so a command typed before it came back could open a modal that the snapshot then closed.
 */
function showConnection(): void {
  const live = connected && view.state !== undefined;
  const badge = $('connection');
  badge.textContent = live ? 'live' : connected ? 'loading…' : 'reconnecting…';
  badge.classList.toggle('offline', !live);
}

function refreshSoon(): void {
  pending ??= setTimeout(() => {
    pending = undefined;
    fetchState(view.user)
      .then((state) => {
        view.state = state;
        view.user = state.user;
        render();
        showConnection();
      })
      .catch((error: unknown) => toast(`Could not load the workspace: ${String(error)}`, 'error'));
  }, 30);
}

function wireComposer(
  form: HTMLFormElement,
  input: HTMLInputElement,
  threadTs: () => string | undefined,
): void {
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

/** A permalink to the page (`#channel=C…&ts=…&thread_ts=…`, from chat.getPermalink) opens that thread. */
function openLinkedThread(): void {
  const link = new URLSearchParams(location.hash.slice(1));
  const channel = link.get('channel');
  if (channel === null) return;
  view.channel = channel;
  view.home = false;
  view.thread = link.get('thread_ts') ?? link.get('ts') ?? undefined;
}

function start(): void {
  openLinkedThread();
  window.addEventListener('hashchange', () => {
    openLinkedThread();
    render();
  });
  wireComposer($('composer'), $('composer-input'), () => undefined);
  wireComposer($('thread-composer'), $('thread-input'), () => view.thread);
  wireMenus();
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
    localStorage.setItem(USER_KEY, view.user);
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
  subscribe(refreshSoon, (open) => {
    connected = open;
    showConnection();
  });
}

start();
