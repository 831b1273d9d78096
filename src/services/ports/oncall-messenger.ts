/**
 * How the on-call services speak in Slack (issue 18): handoff notices in a schedule's channel, DMs (the shift
 * reminder, swap questions and answers), and the schedule's user group. src/integrations/slack-oncall.ts.
 */
import type { KnownBlock } from '../../blocks/kit.js';

export interface OncallMessage {
  text: string;
  blocks?: KnownBlock[];
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** `unavailable`: the workspace cannot have user groups (a free plan) or the app may not edit them (scope). */
export type UsergroupUpdate = { ok: true } | { ok: false; unavailable: true; reason: string };

export interface OncallMessenger {
  post(channel: string, message: OncallMessage): Promise<PostedMessage>;
  /** A DM from the app to `user` (its Messages tab). */
  direct(user: string, message: OncallMessage): Promise<PostedMessage>;
  update(message: PostedMessage, content: OncallMessage): Promise<void>;
  /** Sets the user group's members to exactly `users` (at least one). Other failures throw. */
  setUsergroupUsers(usergroup: string, users: readonly string[]): Promise<UsergroupUpdate>;
}
