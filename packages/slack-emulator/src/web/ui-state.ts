/** The snapshot the emulator page renders: the workspace as one person sees it (protocol.ts `UiState`). */
import { BOT_NAME } from '../seed.js';
import type { StoredMessage, StoredView } from '../types.js';
import type { Workspace } from '../workspace.js';
import type { UiPhone, UiState, UiView } from './protocol.js';
import { TEST_ALERTS } from './test-alerts.js';
import type { LocalPhonePanel } from './ui-server.js';

/** A page shows the recent past; an afternoon of test alerts should not make every refresh megabytes. */
const MESSAGES_PER_CHANNEL = 500;
const CALLS_SHOWN = 20;

export const NO_PHONE_REASON =
  'No local phone: with CONNECT_* set, escalation calls real phones through Amazon Connect.';

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
  alertChannel: string;
  phone?: LocalPhonePanel | undefined;
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
  const alertChannel = workspace.channel(input.alertChannel)?.id ?? channels[0]?.id ?? '';
  const stack = workspace.views.stack(user);
  const top = stack.at(-1);
  const home = workspace.views.home(user);
  const phone: UiPhone = input.phone
    ? { available: true, calls: input.phone.calls().slice(-CALLS_SHOWN).reverse() }
    : { available: false, reason: NO_PHONE_REASON, calls: [] };
  return {
    user,
    users: people.map((u) => ({ id: u.id, name: u.name, realName: u.real_name, isBot: u.is_bot })),
    channels: channels
      .filter((c) => !c.is_im || c.user === user)
      .map((c) => ({ id: c.id, name: c.is_im ? 'hikeshi (DM)' : c.name, isIm: c.is_im })),
    alertChannel,
    bot: { userId: workspace.bot.userId, name: BOT_NAME },
    messages,
    ephemerals: workspace.ephemerals.filter((e) => e.user === user),
    ...(top ? { modal: toUiView(top, stack.length - 1) } : {}),
    ...(home ? { home: toUiView(home, 0) } : {}),
    phone,
    testAlerts: [...TEST_ALERTS],
    shortcuts: workspace.shortcuts.map((s) => ({ name: s.name, callbackId: s.callbackId })),
  };
}
