/**
 * The local Slack workspace Hikeshi runs against without Slack tokens (`npm start`, the tests): its team and bot,
 * three people in three time zones, #alerts and #general, and the on-call user group (examples/oncall-local.yaml
 * keeps it equal to who is on call); and what manifest.json declares (bot scopes, message shortcuts), so the
 * emulator grants the app what a real workspace would.
 */
import {
  seedChannel,
  seedUser,
  type SlackEmulatorOptions,
  type WorkspaceSeed,
} from '@hikeshi/slack-emulator';
import { readAppManifest } from './app-manifest.js';
import { MESSAGE_SHORTCUTS } from './blocks/ids.js';

export const LOCAL_TEAM = { id: 'T0LOCAL01', domain: 'hikeshi-local' } as const;
export const LOCAL_APP = {
  appId: 'A0HIKESHI',
  botId: 'B0HIKESHI',
  botUserId: 'U0HIKESHI',
  botName: 'hikeshi',
  botRealName: 'Hikeshi',
} as const;

export function localSlackWorkspace(): WorkspaceSeed {
  return {
    team: LOCAL_TEAM,
    app: LOCAL_APP,
    users: [
      seedUser('U0ALICE01', 'alice', 'Alice Anderson', 'Asia/Tokyo', 'alice@example.com'),
      seedUser('U0BOB0001', 'bob', 'Bob Brown', 'America/Los_Angeles', 'bob@example.com'),
      seedUser('U0CAROL01', 'carol', 'Carol Clark', 'Europe/London', 'carol@example.com'),
    ],
    channels: [
      seedChannel('C0ALERTS1', 'alerts', 'Incident alerts from Hikeshi'),
      seedChannel('C0GENERAL', 'general', 'Company-wide announcements'),
    ],
    usergroups: [{ id: 'S0ONCALL1', handle: 'oncall', name: 'On call' }],
  };
}

/** The workspace plus the manifest's grants: exactly its bot scopes, and its message shortcuts in ⋮. */
export function localSlackOptions(): SlackEmulatorOptions {
  return {
    workspace: localSlackWorkspace(),
    shortcuts: MESSAGE_SHORTCUTS,
    scopes: readAppManifest().oauth_config.scopes.bot,
  };
}
