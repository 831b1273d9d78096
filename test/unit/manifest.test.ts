import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Commands, Events, MESSAGE_SHORTCUTS } from '../../src/blocks/ids.js';

interface Manifest {
  features: {
    app_home: Record<string, boolean>;
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
    slash_commands: { command: string; usage_hint?: string; should_escape?: boolean }[];
  };
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

  it('declares exactly the message shortcuts the app listens to, with the names the emulator shows', () => {
    const declared = manifest.features.shortcuts.map((s) => ({ callbackId: s.callback_id, name: s.name }));
    expect(declared).toEqual(MESSAGE_SHORTCUTS);
    for (const shortcut of manifest.features.shortcuts) expect(shortcut.type).toBe('message');
  });

  it('subscribes to exactly the events the app handles', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      Object.values(Events).sort(),
    );
  });

  it('enables interactivity and Socket Mode (the scopes themselves: manifest-scopes.test.ts)', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('lets the publisher find a message it posted but never recorded, in a public or a private channel', () => {
    // slack-message-lookup.ts: conversations.list resolves a channel name, conversations.history reads it.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['channels:read', 'groups:read', 'channels:history', 'groups:history']),
    );
  });

  it('lets the schedules keep a user group in sync and DM people in the app’s Messages tab (issue 18)', () => {
    // usergroups.users.update needs usergroups:write; chat.postMessage to a user id needs chat:write and a
    // Messages tab (read-only: nobody is expected to write to the app there).
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['usergroups:write', 'chat:write']),
    );
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
  });
});
