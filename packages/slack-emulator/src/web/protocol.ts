/**
 * The contract between the emulator's web page (src/web/client, in the browser) and its server side
 * (ui-server.ts). Types only, so the browser bundle and the Node server share them without sharing code.
 *
 * The page reads one snapshot (`GET /emulator/api/state?user=U…`) and refetches it whenever the server pushes a
 * `change` over Server-Sent Events (`GET /emulator/api/events`); everything it does is a POST to
 * `/emulator/api/<action>` with a JSON body, which the server turns into the emulator's `actions` (real Slack
 * payloads over Socket Mode) or into a request to the app's own public endpoints.
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

/** A call the app placed through the local phone (no Amazon Connect configured). */
export interface UiCall {
  id: string;
  /** Masked, e.g. `+81•••••5678`; the page never sees a full number. */
  to: string;
  /** What the call says when answered. */
  message: string;
  /** `ringing` until someone answers on the page; then what they pressed. */
  status: 'ringing' | 'accepted' | 'declined' | 'no_answer' | 'failed';
  placedAt: string;
  /** Who is called, when the app says (a responder's name). */
  callee?: string;
  incidentId?: string;
}

export interface UiPhone {
  available: boolean;
  /** Why there is no phone (shown in the panel while a feature is missing). */
  reason?: string;
  calls: UiCall[];
}

export type TestAlertKind = 'generic' | 'alertmanager' | 'job' | 'github';

export interface UiTestAlert {
  kind: TestAlertKind;
  label: string;
  description: string;
}

export interface UiState {
  /** Whose eyes the snapshot is for: ephemerals, modals and App Home are per person. */
  user: string;
  users: UiUser[];
  channels: UiChannel[];
  /** The channel incidents go to (SLACK_ALERT_CHANNEL), opened first. */
  alertChannel: string;
  bot: { userId: string; name: string };
  /** Every message per channel id, replies included, oldest first (threads are built on the page). */
  messages: Record<string, StoredMessage[]>;
  /** The user's ephemeral messages. */
  ephemerals: EphemeralMessage[];
  /** The user's top modal, if one is open. */
  modal?: UiView;
  /** The user's App Home, once the app published one. */
  home?: UiView;
  phone: UiPhone;
  testAlerts: UiTestAlert[];
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
  'test-alert': { kind: TestAlertKind };
  phone: { callId: string; answer: 'accept' | 'decline' | 'no_answer' };
}

export type UiAction = keyof UiRequests;

/** Every POST answers `{ok:true, …}` or `{ok:false, error}` with a message fit to show as is. */
export type UiResponse = { ok: true; detail?: string } | { ok: false; error: string };
