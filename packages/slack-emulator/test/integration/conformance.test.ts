/**
 * The emulator answers every Web API method it serves (METHODS) as Slack does. Each is called through
 * the real WebClient with arguments typed by @slack/web-api's own `…Arguments`, and its answer is checked against
 * the fields of the library's `…Response` (every field the emulator sends must be one the library declares, with
 * the value's shape Slack documents). Then Slack's error codes, as each method's reference page lists them.
 */
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seedChannel, startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import { METHODS } from '../../src/web-api.js';
import type { ArgumentsOf, ResponseOf, WebApiMethod } from '../../src/web-api-types.js';
import { emulatorWebClient, silentSlackLogger } from '../helpers/web-client.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

const ts = z.string().regex(/^\d{10}\.\d{6}$/);
const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[A-Z0-9]{2,}$`));
const message = z.looseObject({ type: z.literal('message'), ts, text: z.string() });
const view = z.looseObject({
  id: id('V'),
  type: z.enum(['modal', 'home']),
  hash: z.string(),
  blocks: z.array(z.unknown()),
});
const cursor = z.object({ next_cursor: z.string() });

interface Case<M extends WebApiMethod> {
  token?: 'app';
  /** Arguments as the library types them, made against a fresh workspace. */
  args(e: SlackEmulator, client: WebClient): Promise<ArgumentsOf<M>> | ArgumentsOf<M>;
  /** Each field the answer may carry: only the library's names, each with the shape Slack documents. */
  fields: { [K in keyof ResponseOf<M>]?: z.ZodType };
}

type Cases = { [M in WebApiMethod]?: Case<M> };

const posted = async (client: WebClient) => {
  const r = await client.chat.postMessage({ channel: 'alerts', text: 'parent' });
  return { channel: String(r.channel), ts: String(r.ts) };
};

const CASES: Cases = {
  'auth.test': {
    args: () => ({}),
    fields: {
      url: z.url(),
      team: z.string(),
      user: z.string(),
      team_id: id('T'),
      user_id: id('U'),
      bot_id: id('B'),
      is_enterprise_install: z.boolean(),
    },
  },
  'apps.connections.open': {
    token: 'app',
    args: () => ({}),
    fields: { url: z.string().regex(/^wss?:\/\//) },
  },
  'chat.postMessage': {
    args: () => ({
      channel: 'alerts',
      text: 'hello',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }],
    }),
    fields: { channel: id('C'), ts, message },
  },
  'chat.update': {
    args: async (_e, client) => ({ ...(await posted(client)), text: 'edited' }),
    fields: { channel: id('C'), ts, text: z.string(), message: z.looseObject({ text: z.string() }) },
  },
  'chat.delete': { args: async (_e, client) => posted(client), fields: { channel: id('C'), ts } },
  'chat.postEphemeral': {
    args: async (_e, client) => {
      const p = await posted(client);
      return { channel: p.channel, thread_ts: p.ts, user: 'U0ALICE01', text: 'only you' };
    },
    fields: { message_ts: ts },
  },
  'chat.getPermalink': {
    args: async (_e, client) => {
      const p = await posted(client);
      return { channel: p.channel, message_ts: p.ts };
    },
    fields: { channel: id('C'), permalink: z.url() },
  },
  'conversations.history': {
    args: async (_e, client) => ({ channel: (await posted(client)).channel, limit: 2 }),
    fields: {
      messages: z.array(message),
      has_more: z.boolean(),
      pin_count: z.number(),
      channel_actions_ts: z.union([z.string(), z.null()]),
      channel_actions_count: z.number(),
      response_metadata: cursor.optional(),
    },
  },
  'conversations.replies': {
    args: async (_e, client) => {
      const p = await posted(client);
      await client.chat.postMessage({ channel: p.channel, thread_ts: p.ts, text: 'reply' });
      return { channel: p.channel, ts: p.ts };
    },
    fields: {
      messages: z.array(message).min(2),
      has_more: z.boolean(),
      response_metadata: cursor.optional(),
    },
  },
  'conversations.list': {
    args: () => ({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200 }),
    fields: {
      channels: z.array(
        z.looseObject({ id: id('[CG]'), name: z.string(), is_private: z.boolean(), is_member: z.boolean() }),
      ),
      response_metadata: cursor,
    },
  },
  'conversations.info': {
    args: () => ({ channel: 'C0ALERTS1' }),
    fields: { channel: z.looseObject({ id: id('C'), name: z.string(), is_channel: z.boolean() }) },
  },
  'conversations.open': {
    args: () => ({ users: 'U0ALICE01' }),
    fields: {
      channel: z.looseObject({ id: id('D') }),
      no_op: z.boolean().optional(),
      already_open: z.boolean().optional(),
    },
  },
  'users.info': {
    args: () => ({ user: 'U0ALICE01' }),
    fields: {
      user: z.looseObject({ id: id('U'), name: z.string(), is_bot: z.boolean(), profile: z.looseObject({}) }),
    },
  },
  'usergroups.users.update': {
    args: () => ({ usergroup: 'S0ONCALL1', users: 'U0ALICE01,U0BOB0001' }),
    fields: { usergroup: z.looseObject({ id: id('S'), users: z.array(id('U')) }) },
  },
  'usergroups.list': {
    args: () => ({ include_users: true }),
    fields: {
      usergroups: z.array(z.looseObject({ id: id('S'), handle: z.string(), users: z.array(id('U')) })),
    },
  },
  'usergroups.users.list': {
    args: () => ({ usergroup: 'S0ONCALL1' }),
    fields: { users: z.array(id('U')) },
  },
  'views.push': {
    args: async (e, client) => {
      const trigger = e.workspace.issueTrigger('U0ALICE01');
      await client.views.open({ trigger_id: trigger, view: modal('first') });
      return { trigger_id: e.workspace.issueTrigger('U0ALICE01'), view: modal('second') };
    },
    fields: { view },
  },
  'views.open': {
    args: (e) => ({ trigger_id: e.workspace.issueTrigger('U0ALICE01'), view: modal('first') }),
    fields: { view },
  },
  'views.update': {
    args: async (e, client) => {
      const opened = await client.views.open({
        trigger_id: e.workspace.issueTrigger('U0ALICE01'),
        view: modal('a'),
      });
      return { view_id: String(opened.view?.id), view: modal('b') };
    },
    fields: { view },
  },
  'views.publish': {
    args: () => ({
      user_id: 'U0ALICE01',
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'home' } }] },
    }),
    fields: { view },
  },
};

function modal(title: string) {
  return {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: title },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: title } }],
  };
}

/** Fields the router adds to any answer. */
const ENVELOPE = new Set(['ok', 'warning', 'response_metadata']);

let emulator: SlackEmulator;
let client: WebClient;

beforeAll(async () => {
  emulator = await startSlackEmulator({ workspace: sampleWorkspace() });
  client = emulatorWebClient(emulator);
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.limits.clear();
});

describe('every Web API method the emulator serves', () => {
  const served = Object.keys(METHODS).sort();

  it('has a conformance case here', () => {
    const untested = served.filter((m) => !(m in CASES));
    expect(untested, 'methods the emulator serves without a conformance case').toEqual([]);
  });

  it.each(served)('%s answers in the shape @slack/web-api declares', async (method) => {
    const spec = CASES[method as WebApiMethod] as Case<WebApiMethod> | undefined;
    if (!spec) throw new Error(`no conformance case for ${method}`);
    const as =
      spec.token === 'app'
        ? new WebClient(emulator.appToken, { slackApiUrl: emulator.apiUrl, logger: silentSlackLogger })
        : client;
    const args = await spec.args(emulator, client);
    const answer = (await as.apiCall(method, args as Record<string, unknown>)) as unknown as Record<
      string,
      unknown
    >;
    expect(answer['ok']).toBe(true);
    const declared = new Set(Object.keys(spec.fields));
    const unknown = Object.keys(answer).filter((k) => !declared.has(k) && !ENVELOPE.has(k));
    expect(unknown, `${method} answers fields its case does not declare`).toEqual([]);
    for (const [field, schema] of Object.entries(spec.fields) as [string, z.ZodType][]) {
      const parsed = schema.safeParse(answer[field]);
      expect(parsed.success, `${method}.${field}: ${parsed.error?.message ?? ''}`).toBe(true);
    }
  });
});

async function errorOf(call: Promise<unknown>): Promise<string> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  return String(error?.data?.error ?? (error as { code?: string } | undefined)?.code);
}

describe('Slack’s error codes, as its reference pages document them', () => {
  it('invalid_blocks and msg_too_long', async () => {
    const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'a'.repeat(3001) } }];
    expect(await errorOf(client.chat.postMessage({ channel: 'alerts', text: 'x', blocks }))).toBe(
      'invalid_blocks',
    );
    expect(await errorOf(client.chat.postMessage({ channel: 'alerts', text: 'x'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
  });

  it('channel_not_found, message_not_found, thread_not_found', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: 'C0NOWHERE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await errorOf(client.conversations.history({ channel: 'C0NOWHERE' }))).toBe('channel_not_found');
    expect(await errorOf(client.chat.update({ channel: 'alerts', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    const p = await posted(client);
    await client.chat.delete(p);
    expect(await errorOf(client.chat.update({ ...p, text: 'x' }))).toBe('message_not_found');
    expect(await errorOf(client.chat.postMessage({ channel: p.channel, thread_ts: p.ts, text: 'x' }))).toBe(
      'thread_not_found',
    );
  });

  it('not_in_channel for a public channel the bot is not in without chat:write.public; channel_not_found for a private one', async () => {
    emulator.workspace.channels.set('C0OUTSIDE', {
      ...seedChannel('C0OUTSIDE', 'outside'),
      is_member: false,
    });
    emulator.workspace.channels.set('G0HIDDEN1', {
      ...seedChannel('G0HIDDEN1', 'hidden'),
      is_member: false,
      is_private: true,
    });
    emulator.workspace.scopes = new Set(['chat:write']);
    try {
      expect(await errorOf(client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'x' }))).toBe(
        'not_in_channel',
      );
      expect(await errorOf(client.chat.postMessage({ channel: 'G0HIDDEN1', text: 'x' }))).toBe(
        'channel_not_found',
      );
      emulator.workspace.scopes = new Set(['chat:write', 'chat:write.public']);
      expect((await client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'x' })).ok).toBe(true);
    } finally {
      emulator.workspace.scopes = undefined;
    }
  });

  it('missing_scope, naming what is needed and what was granted', async () => {
    emulator.workspace.scopes = new Set(['chat:write']);
    try {
      const error = (await client.users
        .info({ user: 'U0ALICE01' })
        .catch((e: unknown) => e)) as WebAPIPlatformError;
      expect(error.data).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'users:read',
        provided: 'chat:write',
      });
    } finally {
      emulator.workspace.scopes = undefined;
    }
  });

  it('ratelimited with Retry-After, which WebClient reports as a rate limit', async () => {
    emulator.faults.add({ method: 'chat.postMessage', status: 429, retryAfterSeconds: 1, times: 1 });
    const noRetry = new WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentSlackLogger,
    });
    const error = (await noRetry.chat
      .postMessage({ channel: 'alerts', text: 'x' })
      .catch((e: unknown) => e)) as { code?: string; retryAfter?: number };
    expect(error).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
  });

  it('required arguments: a view without a trigger, a post without text, an update without a ts', async () => {
    expect(await errorOf(client.apiCall('views.open', { view: modal('x') }))).toBe('invalid_arguments');
    expect(await errorOf(client.apiCall('chat.postMessage', { channel: 'alerts' }))).toBe('no_text');
    expect(await errorOf(client.apiCall('chat.update', { channel: 'alerts', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await errorOf(client.apiCall('chat.postMessage', { text: 'x' }))).toBe('channel_not_found');
  });
});
