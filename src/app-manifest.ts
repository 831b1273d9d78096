/**
 * The app's manifest (manifest.json at the repository root), for the local emulator: it grants the app exactly
 * the bot scopes a workspace would (so a call without its scope fails locally as it would in Slack).
 */
import { readFileSync } from 'node:fs';

export interface AppManifest {
  features: {
    shortcuts?: { name: string; type: string; callback_id: string }[];
    slash_commands?: { command: string; usage_hint?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

export function readAppManifest(): AppManifest {
  return JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as AppManifest;
}
