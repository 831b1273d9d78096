/**
 * The contract between the emulator's web page (src/web/client, in the browser) and its server side
 * (ui-server.ts). Types only, so the browser bundle and the Node server share them without sharing code.
 *
 * The page reads one snapshot (`GET /emulator/api/state?user=U…`) and refetches it whenever the server pushes a
 * `change` over Server-Sent Events (`GET /emulator/api/events`); everything it does is a POST to
 * `/emulator/api/<action>` with a JSON body, which the server turns into the emulator's `actions` (real Slack
 * payloads over Socket Mode or HTTP) or hands to the host app (its menu, its phone).
 */
import type { EphemeralMessage, JsonObject, StoredMessage } from '../types.js';

export const UI_API = '/emulator/api';

export interface UiUser {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
}

export interface UiChannel {
  id: string;
  name: string;
  isIm: boolean;
}

export interface UiView {
  id: string;
  type: 'modal' | 'home';
  /** The app's view payload (title, blocks, submit, close, …). */
  definition: JsonObject;
  /** block_id → message, from a `response_action: 'errors'` ack. */
  errors?: Record<string, string>;
  /** Modals stacked under this one (views.push), for the breadcrumb. */
  depth: number;
}

/** A call the app placed through a phone the host app provides (e.g. a stand-in for a telephony service). */
export interface UiCall {
  id: string;
  /** Masked, e.g. `+81•••••5678`; the page never sees a full number. */
  to: string;
  /** What the call says when answered. */
  message: string;
  /** `ringing` until someone answers on the page; then what they pressed. */
  status: 'ringing' | 'accepted' | 'declined' | 'no_answer' | 'failed';
  placedAt: string;
  /** Who is called, when the app says (a Slack user id, shown by name). */
  callee?: string;
  /** A short label of what the call is about, shown above its message. */
  subject?: string;
}

export interface UiPhone {
  /** The panel's heading. */
  title: string;
  available: boolean;
  /** Why there is no phone (shown in the panel while a feature is missing). */
  reason?: string;
  /** Shown while no call was placed yet. */
  idleNote: string;
  calls: UiCall[];
}

/** A menu of the host app's own actions in the page's top bar (e.g. sample requests to the app). */
export interface UiMenu {
  /** The menu element's id (a stable handle for the host's browser tests). */
  id: string;
  label: string;
  items: { id: string; label: string; description: string }[];
}

/** How the page presents the app. */
export interface UiApp {
  name: string;
  /** An emoji beside the name. */
  icon: string;
  /** Suggested as one types in a composer (`/deploy status`). */
  commandHints: string[];
  /** The commands named under the message box. */
  commands: string[];
  /** Named in the message box's placeholder, e.g. `/deploy help`. */
  helpCommand?: string;
  /** The thread's reply box placeholder, e.g. `Reply… or @deploybot status`. */
  threadHint?: string;
}

export interface UiState {
  /** Whose eyes the snapshot is for: ephemerals, modals and App Home are per person. */
  user: string;
  users: UiUser[];
  channels: UiChannel[];
  /** The channel the page opens first. */
  defaultChannel: string;
  bot: { userId: string; name: string };
  app: UiApp;
  /** Every message per channel id, replies included, oldest first (threads are built on the page). */
  messages: Record<string, StoredMessage[]>;
  /** The user's ephemeral messages. */
  ephemerals: EphemeralMessage[];
  /** The user's top modal, if one is open. */
  modal?: UiView;
  /** The user's App Home, once the app published one. */
  home?: UiView;
  /** Absent: the host app has no phone panel. */
  phone?: UiPhone;
  /** Absent: the host app has no menu. */
  menu?: UiMenu;
  /** The app's message shortcuts, in every message's ⋮ menu. */
  shortcuts: { name: string; callbackId: string }[];
}

/** POST bodies, by action. */
export interface UiRequests {
  command: { user: string; channel: string; text: string; threadTs?: string };
  message: { user: string; channel: string; text: string; threadTs?: string };
  click: {
    user: string;
    actionId: string;
    value?: string;
    channel?: string;
    messageTs?: string;
    viewId?: string;
  };
  shortcut: { user: string; channel: string; messageTs: string; callbackId: string };
  delete: { user: string; channel: string; messageTs: string };
  submit: { user: string; viewId: string; values: Record<string, string | string[] | null> };
  close: { user: string; viewId: string };
  home: { user: string };
  menu: { id: string };
  phone: { callId: string; answer: 'accept' | 'decline' | 'no_answer' };
}

export type UiAction = keyof UiRequests;

/** Every POST answers `{ok:true, …}` or `{ok:false, error}` with a message fit to show as is. */
export type UiResponse = { ok: true; detail?: string } | { ok: false; error: string };
