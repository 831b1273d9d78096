/**
 * Issue 21: manifest.json asks for exactly the bot scopes Hikeshi uses. Each Web API method the code calls
 * (read from the source: helpers/slack-usage.ts) and each event it subscribes to maps to the scope Slack
 * documents for it (the emulator's method-scopes.ts, which it also enforces); commands and shortcuts need
 * `commands`. A new call without its scope fails here; a scope nothing needs fails here too, unless it is kept
 * below with its reason (also in the README's scope table).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EVENT_SCOPES,
  LIST_TYPE_SCOPES,
  METHOD_SCOPES,
  METHODS,
  type EmulatedMethod,
  seedChannel,
  imChannel,
} from '@hikeshi/slack-emulator';
import { calledMethods } from '../helpers/slack-usage.js';

interface Manifest {
  features: { slash_commands?: unknown[]; shortcuts?: unknown[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

const manifest = JSON.parse(
  readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'),
) as Manifest;

/** Scopes no method or event needs, kept on purpose: each with the reason a reader of the manifest needs. */
const KEPT: Record<string, string> = {
  'chat:write.public':
    'posts to SLACK_ALERT_CHANNEL when it is public and nobody invited the bot (chat.postMessage answers not_in_channel otherwise)',
};

/**
 * The conversations Hikeshi reads and writes: the alert channel, public or private (both are supported), and
 * people's DMs with the app (its Messages tab).
 */
const CONVERSATIONS = [
  seedChannel('C0PUBLIC1', 'alerts'),
  { ...seedChannel('G0PRIVATE', 'alerts-private'), is_private: true },
];
const DM_ONLY = new Set<string>(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);

/** conversations.list is called for public and private channels (slack-message-lookup.ts). */
const LIST_TYPES = ['public_channel', 'private_channel'];

function scopesFor(method: string): string[] {
  if (!(method in METHOD_SCOPES))
    throw new Error(`no documented scope for ${method}: add it to the emulator's method-scopes.ts`);
  if (method === 'apps.connections.open') return []; // an app-level token's scope (connections:write), not a bot scope
  if (method === 'conversations.list') return LIST_TYPES.map((t) => LIST_TYPE_SCOPES[t] ?? t);
  const scopes = METHOD_SCOPES[method as EmulatedMethod];
  const where = DM_ONLY.has(method) ? [...CONVERSATIONS, imChannel('U0ALICE01')] : CONVERSATIONS;
  // Kind-dependent scopes: one of the listed ones for each kind of conversation Hikeshi uses.
  return [...new Set(where.flatMap((channel) => scopes(channel).slice(0, 1)))];
}

function derivedScopes(): Map<string, string[]> {
  const needs = new Map<string, string[]>();
  const need = (scope: string, why: string) => needs.set(scope, [...(needs.get(scope) ?? []), why]);
  for (const method of calledMethods().keys()) for (const scope of scopesFor(method)) need(scope, method);
  for (const event of manifest.settings.event_subscriptions.bot_events) {
    const scopes = EVENT_SCOPES[event];
    if (scopes === undefined)
      throw new Error(
        `no documented scope for the event ${event}: add it to the emulator's method-scopes.ts`,
      );
    for (const scope of scopes) need(scope, `event ${event}`);
  }
  if ((manifest.features.slash_commands?.length ?? 0) > 0) need('commands', 'slash commands');
  if ((manifest.features.shortcuts?.length ?? 0) > 0) need('commands', 'shortcuts');
  return needs;
}

describe('the Web API methods Hikeshi calls', () => {
  const called = [...calledMethods().keys()].sort();

  it('are read from the source (a sanity check on the reading)', () => {
    expect(called).toEqual(
      expect.arrayContaining(['chat.postMessage', 'chat.update', 'views.open', 'auth.test']),
    );
  });

  it('are all served by the emulator, whose conformance test checks each against @slack/web-api', () => {
    const missing = called.filter((m) => !(m in METHODS));
    expect(missing, 'methods Hikeshi calls that the emulator does not answer').toEqual([]);
  });
});

describe('manifest.json bot scopes', () => {
  it('include every scope the methods and events Hikeshi uses need', () => {
    const granted = new Set(manifest.oauth_config.scopes.bot);
    const missing = [...derivedScopes()].filter(([scope]) => !granted.has(scope));
    expect(missing, 'scopes the code needs and the manifest does not ask for (scope, needed by)').toEqual([]);
  });

  it('ask for nothing else, except the scopes kept with a reason', () => {
    const needed = derivedScopes();
    const unused = manifest.oauth_config.scopes.bot.filter((scope) => !needed.has(scope) && !(scope in KEPT));
    expect(
      unused,
      'scopes nothing in the code needs: drop them, or keep one in KEPT with its reason',
    ).toEqual([]);
    for (const scope of Object.keys(KEPT)) expect(manifest.oauth_config.scopes.bot).toContain(scope);
  });

  it('are documented in the README, each with its reason', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const scope of manifest.oauth_config.scopes.bot)
      expect(readme).toMatch(new RegExp(`\\| \`${scope}\` +\\| \\S`));
  });
});
