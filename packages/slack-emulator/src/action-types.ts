/** What the emulator's actions (actions.ts) take and answer. */
import type { HttpTransportOptions } from './http-transport.js';

export type ActionResult =
  | { transport: 'socket'; envelopeId: string; ack: { payload?: unknown } }
  | { transport: 'http'; status: number; body: unknown; ack: { payload?: unknown } };

export type TransportConfig =
  { kind: 'socket' } | ({ kind: 'http' } & HttpTransportOptions & { signingSecret: string });

export interface DeliveryOptions {
  /** Marks an events_api delivery as Slack's n-th retry (Socket Mode `retry_attempt`, HTTP X-Slack-Retry-Num). */
  retryAttempt?: number;
  retryReason?: string;
}

export type ClickButtonInput = { userId: string; actionId: string; value?: string } & (
  { channelId: string; messageTs: string } | { viewId: string }
);

/** Choosing an option of an overflow menu: the menu's action_id and the chosen option's value. */
export type ChooseOptionInput = { userId: string; actionId: string; optionValue: string } & (
  { channelId: string; messageTs: string } | { viewId: string }
);
