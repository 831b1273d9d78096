/**
 * The workspace the package's tests run in: a sample app's bot, three people in three time zones, two channels
 * and a user group. Any app would pass its own (SlackEmulatorOptions.workspace).
 */
import { seedChannel, seedUser, type WorkspaceSeed } from '../../src/seed.js';

export const SAMPLE_TEAM = { id: 'T0LOCAL01', domain: 'sample-workspace' } as const;
export const SAMPLE_APP = {
  appId: 'A0SAMPLE01',
  botId: 'B0SAMPLE01',
  botUserId: 'U0SAMPLE01',
  botName: 'samplebot',
  botRealName: 'Sample Bot',
} as const;

export function sampleWorkspace(): WorkspaceSeed {
  return {
    team: SAMPLE_TEAM,
    app: SAMPLE_APP,
    users: [
      seedUser('U0ALICE01', 'alice', 'Alice Anderson', 'Asia/Tokyo', 'alice@example.com'),
      seedUser('U0BOB0001', 'bob', 'Bob Brown', 'America/Los_Angeles', 'bob@example.com'),
      seedUser('U0CAROL01', 'carol', 'Carol Clark', 'Europe/London', 'carol@example.com'),
    ],
    channels: [seedChannel('C0ALERTS1', 'alerts', 'Alerts'), seedChannel('C0GENERAL', 'general')],
    usergroups: [{ id: 'S0ONCALL1', handle: 'oncall', name: 'On call' }],
  };
}
