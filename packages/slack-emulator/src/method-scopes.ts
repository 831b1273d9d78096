/**
 * The bot scope each emulated method needs, as each method's reference page lists it
 * (https://docs.slack.dev/reference/methods/<method>, "Required scopes"). Where the scope depends on the
 * conversation's kind, the function answers the one that conversation needs; `[]` is a method that needs none.
 * With scopes configured (the app's manifest), the emulator answers a call without its scope as Slack does:
 * `missing_scope`, with `needed` and `provided`.
 */
import type { SlackChannel } from './types.js';
import type { WebApiMethod } from './web-api-types.js';

type ConversationKind = 'public' | 'private' | 'im';

const byKind = (prefix: Record<ConversationKind, string>) => (channel?: SlackChannel) => [
  channel === undefined
    ? prefix.public
    : channel.is_im
      ? prefix.im
      : channel.is_private
        ? prefix.private
        : prefix.public,
];

const read = byKind({ public: 'channels:read', private: 'groups:read', im: 'im:read' });
const history = byKind({ public: 'channels:history', private: 'groups:history', im: 'im:history' });
const open = byKind({ public: 'channels:manage', private: 'groups:write', im: 'im:write' });

/** Scopes that allow the call (any one of them), given the conversation it names. */
export const METHOD_SCOPES: Record<EmulatedMethod, (channel?: SlackChannel) => string[]> = {
  // An app-level token's scope (connections:write), not a bot scope: the app token holds it by construction.
  'apps.connections.open': () => [],
  'auth.test': () => [],
  'chat.delete': () => ['chat:write'],
  'chat.getPermalink': () => [],
  'chat.postEphemeral': () => ['chat:write'],
  'chat.postMessage': () => ['chat:write'],
  'chat.update': () => ['chat:write'],
  'conversations.history': history,
  'conversations.info': read,
  'conversations.list': read,
  'conversations.open': open,
  'conversations.replies': history,
  'usergroups.list': () => ['usergroups:read'],
  'usergroups.users.list': () => ['usergroups:read'],
  'usergroups.users.update': () => ['usergroups:write'],
  'users.info': () => ['users:read'],
  'views.open': () => [],
  'views.publish': () => [],
  'views.push': () => [],
  'views.update': () => [],
};

export type EmulatedMethod = Extract<
  WebApiMethod,
  | 'apps.connections.open'
  | 'auth.test'
  | `chat.${'delete' | 'getPermalink' | 'postEphemeral' | 'postMessage' | 'update'}`
  | `conversations.${'history' | 'info' | 'list' | 'open' | 'replies'}`
  | `usergroups.${'list' | 'users.list' | 'users.update'}`
  | 'users.info'
  | `views.${'open' | 'publish' | 'push' | 'update'}`
>;

/**
 * The scope a conversations.list call needs for each type it asks for (`types=public_channel,private_channel`
 * needs both channels:read and groups:read).
 */
export const LIST_TYPE_SCOPES: Record<string, string> = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  im: 'im:read',
  mpim: 'mpim:read',
};

/** Events and what the app must hold to receive them (https://docs.slack.dev/reference/events/<event>). */
export const EVENT_SCOPES: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  app_home_opened: [],
};

/** The scope the call lacks, or undefined when `granted` allows it. */
export function missingScope(
  method: string,
  args: { channel?: unknown; types?: unknown },
  channel: SlackChannel | undefined,
  granted: ReadonlySet<string>,
): string | undefined {
  if (!(method in METHOD_SCOPES)) return undefined;
  if (method === 'conversations.list') {
    const types = typeof args.types === 'string' && args.types !== '' ? args.types : 'public_channel';
    const needed = types.split(',').map((t) => LIST_TYPE_SCOPES[t.trim()] ?? 'channels:read');
    return needed.find((scope) => !granted.has(scope));
  }
  const anyOf = METHOD_SCOPES[method as EmulatedMethod](channel);
  if (anyOf.length === 0 || anyOf.some((scope) => granted.has(scope))) return undefined;
  return anyOf.join(',');
}
