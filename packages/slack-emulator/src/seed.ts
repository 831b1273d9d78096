/**
 * The workspace every emulator starts with. Ids follow Slack's shapes (T…, U…, B…, C…, A…) so that code
 * that pattern-matches ids behaves the same here as in a real workspace.
 */
import type { SlackChannel, SlackUser } from './types.js';

export const TEAM_ID = 'T0LOCAL01';
export const TEAM_DOMAIN = 'hikeshi-local';
export const APP_ID = 'A0HIKESHI';
export const BOT_USER_ID = 'U0HIKESHI';
export const BOT_ID = 'B0HIKESHI';
export const BOT_NAME = 'hikeshi';

/** Seeded at the emulator's epoch so `created` fields are stable. */
const CREATED = 1_767_225_600;

export function seedUser(
  id: string,
  name: string,
  realName: string,
  tz = 'Asia/Tokyo',
  email?: string,
): SlackUser {
  const offsets: Record<string, [string, number]> = {
    'Asia/Tokyo': ['Japan Standard Time', 32_400],
    'America/Los_Angeles': ['Pacific Standard Time', -28_800],
    'Europe/London': ['Greenwich Mean Time', 0],
  };
  const [tzLabel, tzOffset] = offsets[tz] ?? [tz, 0];
  return {
    id,
    team_id: TEAM_ID,
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

export function defaultUsers(): SlackUser[] {
  const bot = seedUser(BOT_USER_ID, BOT_NAME, 'Hikeshi');
  bot.is_bot = true;
  bot.profile.bot_id = BOT_ID;
  return [
    bot,
    seedUser('U0ALICE01', 'alice', 'Alice Anderson', 'Asia/Tokyo', 'alice@example.com'),
    seedUser('U0BOB0001', 'bob', 'Bob Brown', 'America/Los_Angeles', 'bob@example.com'),
    seedUser('U0CAROL01', 'carol', 'Carol Clark', 'Europe/London', 'carol@example.com'),
  ];
}

export function defaultChannels(): SlackChannel[] {
  return [
    seedChannel('C0ALERTS1', 'alerts', 'Incident alerts from Hikeshi'),
    seedChannel('C0GENERAL', 'general', 'Company-wide announcements'),
  ];
}

/** A user group for the on-call example (examples/oncall-local.yaml keeps it equal to who is on call). */
export function defaultUsergroups(): { id: string; handle: string; name: string }[] {
  return [{ id: 'S0ONCALL1', handle: 'oncall', name: 'On call' }];
}
