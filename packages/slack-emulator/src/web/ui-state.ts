/** The snapshot the emulator page renders: the workspace as one person sees it (protocol.ts `UiState`). */
import type { StoredMessage, StoredView } from '../types.js';
import type { Workspace } from '../workspace.js';
import type { UiApp, UiPhone, UiState, UiView } from './protocol.js';
import type { PageMenu, PagePhone } from './ui-server.js';

/** A page shows the recent past; an afternoon of busy channels should not make every refresh megabytes. */
const MESSAGES_PER_CHANNEL = 500;
const CALLS_SHOWN = 20;

function toUiView(view: StoredView, depth: number): UiView {
  return {
    id: view.id,
    type: view.type,
    definition: view.definition,
    depth,
    ...(view.errors === undefined ? {} : { errors: view.errors }),
  };
}

export function buildUiState(input: {
  workspace: Workspace;
  user: string;
  defaultChannel?: string | undefined;
  app?: Partial<UiApp> | undefined;
  menu?: PageMenu | undefined;
  phone?: PagePhone | undefined;
}): UiState {
  const { workspace } = input;
  const people = [...workspace.users.values()].filter((u) => !u.deleted);
  // An unknown or missing user id (a first visit, a stale bookmark) falls back to the first person.
  const user =
    workspace.user(input.user)?.is_bot === false ? input.user : (people.find((u) => !u.is_bot)?.id ?? '');
  const channels = [...workspace.channels.values()].filter((c) => !c.is_archived);
  const messages: Record<string, StoredMessage[]> = {};
  for (const channel of channels)
    messages[channel.id] = workspace.allMessages(channel.id).slice(-MESSAGES_PER_CHANNEL);
  const defaultChannel =
    (input.defaultChannel === undefined ? undefined : workspace.channel(input.defaultChannel)?.id) ??
    channels.find((c) => !c.is_im)?.id ??
    '';
  const stack = workspace.views.stack(user);
  const top = stack.at(-1);
  const home = workspace.views.home(user);
  const phone = input.phone ? uiPhone(input.phone) : undefined;
  const botName = workspace.bot.name;
  const app: UiApp = {
    name: workspace.user(workspace.bot.userId)?.real_name ?? botName,
    icon: '🤖',
    commandHints: [],
    commands: [],
    ...input.app,
  };
  return {
    user,
    users: people.map((u) => ({ id: u.id, name: u.name, realName: u.real_name, isBot: u.is_bot })),
    channels: channels
      .filter((c) => !c.is_im || c.user === user)
      .map((c) => ({ id: c.id, name: c.is_im ? `${botName} (DM)` : c.name, isIm: c.is_im })),
    defaultChannel,
    bot: { userId: workspace.bot.userId, name: botName },
    app,
    messages,
    ephemerals: workspace.ephemerals.filter((e) => e.user === user),
    ...(top ? { modal: toUiView(top, stack.length - 1) } : {}),
    ...(home ? { home: toUiView(home, 0) } : {}),
    ...(phone ? { phone } : {}),
    ...(input.menu ? { menu: { id: input.menu.id, label: input.menu.label, items: input.menu.items } } : {}),
    shortcuts: workspace.shortcuts.map((s) => ({ name: s.name, callbackId: s.callbackId })),
  };
}

function uiPhone(phone: PagePhone): UiPhone {
  const common = { title: phone.title, idleNote: phone.idleNote };
  return phone.panel
    ? { ...common, available: true, calls: phone.panel.calls().slice(-CALLS_SHOWN).reverse() }
    : { ...common, available: false, calls: [], ...(phone.unavailable ? { reason: phone.unavailable } : {}) };
}
