import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Commands, Events } from '../../src/listeners/ids.js';

interface Manifest {
  features: { slash_commands: { command: string; usage_hint?: string; should_escape?: boolean }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

const manifest = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as Manifest;

describe('manifest.json', () => {
  it('declares exactly the slash commands the app listens to, escaped and with usage hints', () => {
    const declared = manifest.features.slash_commands.map((c) => c.command).sort();
    expect(declared).toEqual(Object.values(Commands).sort());
    for (const command of manifest.features.slash_commands) {
      expect(command.should_escape).toBe(true);
      expect(command.usage_hint).toBeTruthy();
    }
  });

  it('subscribes to exactly the events the app handles', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      Object.values(Events).sort(),
    );
  });

  it("has the seed's bot scopes plus commands and users:read, interactivity and Socket Mode", () => {
    const seedScopes = [
      'assistant:write',
      'channels:history',
      'channels:read',
      'channels:write.topic',
      'chat:write',
      'chat:write.public',
      'groups:history',
      'groups:write',
      'im:history',
      'incoming-webhook',
      'mpim:history',
    ];
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([...seedScopes, 'commands', 'users:read']),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('lets the publisher find a message it posted but never recorded, in a public or a private channel', () => {
    // slack-message-lookup.ts: conversations.list resolves a channel name, conversations.history reads it.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['channels:read', 'groups:read', 'channels:history', 'groups:history']),
    );
  });
});
