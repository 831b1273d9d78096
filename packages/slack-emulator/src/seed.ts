/**
 * Who is in a workspace when the emulator starts: the team, the app and its bot user, people, channels and user
 * groups. The host app passes its own (`SlackEmulatorOptions.workspace`); without one the workspace holds the
 * app's bot and #general, as a new Slack workspace would. Ids follow Slack's shapes (T…, U…, B…, C…, A…, S…), so
 * code that pattern-matches ids behaves the same here as in a real workspace.
 */
import type { SlackChannel, SlackUser } from './types.js';

export interface TeamIdentity {
  /** T…, e.g. `T0LOCAL01`. */
  id: string;
  /** The subdomain: permalinks are `https://<domain>.slack.com/archives/…`. */
  domain: string;
}

export interface AppIdentity {
  /** A…, the `api_app_id` of every payload. */
  appId: string;
  /** B…, the `bot_id` of the app's messages. */
  botId: string;
  /** U…, the bot user (`<@U…>` mentions it). */
  botUserId: string;
  /** The bot user's name (`@name` on the page mentions it). */
  botName: string;
  /** Its display name in the member list. */
  botRealName?: string;
}

export interface UsergroupSeed {
  id: string;
  handle: string;
  name: string;
}

export interface WorkspaceSeed {
  team?: TeamIdentity;
  app?: AppIdentity;
  /** People (the bot user is added from `app`). */
  users?: SlackUser[];
  /** Channels; default: #general. */
  channels?: SlackChannel[];
  usergroups?: UsergroupSeed[];
}

/** What payloads and answers say about the workspace: its team and the app's bot (a Workspace is one). */
export interface WorkspaceIdentity {
  team: { id: string; domain: string };
  bot: { userId: string; botId: string; appId: string; name: string };
}

export const DEFAULT_TEAM: TeamIdentity = { id: 'T0LOCAL01', domain: 'local-workspace' };
export const DEFAULT_APP: AppIdentity = {
  appId: 'A0LOCALAPP',
  botId: 'B0LOCALAPP',
  botUserId: 'U0LOCALBOT',
  botName: 'app',
  botRealName: 'App',
};

/** Seeded at the emulator's epoch so `created` fields are stable. */
const CREATED = 1_767_225_600;

const TIME_ZONES: Record<string, [string, number]> = {
  'Asia/Tokyo': ['Japan Standard Time', 32_400],
  'America/Los_Angeles': ['Pacific Standard Time', -28_800],
  'America/New_York': ['Eastern Standard Time', -18_000],
  'Europe/London': ['Greenwich Mean Time', 0],
  'Europe/Paris': ['Central European Time', 3_600],
  UTC: ['Coordinated Universal Time', 0],
};

/** A person; the workspace they join sets `team_id`. */
export function seedUser(id: string, name: string, realName: string, tz = 'UTC', email?: string): SlackUser {
  const [tzLabel, tzOffset] = TIME_ZONES[tz] ?? [tz, 0];
  return {
    id,
    team_id: '',
    name,
    real_name: realName,
    tz,
    tz_label: tzLabel,
    tz_offset: tzOffset,
    is_bot: false,
    is_admin: false,
    deleted: false,
    profile: { real_name: realName, display_name: name, ...(email === undefined ? {} : { email }) },
  };
}

export function seedChannel(id: string, name: string, purpose = ''): SlackChannel {
  return {
    id,
    name,
    is_channel: true,
    is_im: false,
    is_private: false,
    is_archived: false,
    is_member: true,
    created: CREATED,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: purpose, creator: '', last_set: purpose === '' ? 0 : CREATED },
  };
}

/** A direct message channel between the bot and `userId`; Slack names IM channels D…. */
export function imChannel(userId: string): SlackChannel {
  return {
    ...seedChannel(`D${userId.slice(1)}`, userId),
    is_channel: false,
    is_im: true,
    is_private: true,
    user: userId,
  };
}

/** The app's bot user, as users.info shows it. */
export function botUser(app: AppIdentity): SlackUser {
  const bot = seedUser(app.botUserId, app.botName, app.botRealName ?? app.botName);
  bot.is_bot = true;
  bot.profile.bot_id = app.botId;
  return bot;
}

export function defaultChannels(): SlackChannel[] {
  return [seedChannel('C0GENERAL', 'general', 'This channel is for workspace-wide communication')];
}
