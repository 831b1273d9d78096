import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { seedChannel, startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import { emulatorWebClient } from '../helpers/web-client.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

let emulator: SlackEmulator;
/** WebClient logs Slack's response_metadata [ERROR] lines; the assertions check them instead. */
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

async function platformError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: ErrorCode.PlatformError });
  return error as WebAPIPlatformError;
}

describe('emulator Web API through the real WebClient', () => {
  it('answers auth.test with the bot identity', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({
      ok: true,
      team_id: 'T0LOCAL01',
      user_id: 'U0SAMPLE01',
      bot_id: 'B0SAMPLE01',
    });
  });

  it('posts by channel name, answers with the id, and stores blocks sent as a JSON string', async () => {
    const posted = await client.chat.postMessage({
      channel: '#alerts',
      text: 'disk full',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*disk full*' } }],
    });
    expect(posted).toMatchObject({
      ok: true,
      channel: 'C0ALERTS1',
      message: { text: 'disk full', bot_id: 'B0SAMPLE01' },
    });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    const stored = emulator.workspace.message('C0ALERTS1', posted.ts!);
    expect(stored?.blocks[0]).toMatchObject({ type: 'section', block_id: expect.any(String) });
    const call = emulator.workspace.calls.at(-1);
    expect(call).toMatchObject({ method: 'chat.postMessage', ok: true, args: { channel: '#alerts' } });
    expect(call?.args).not.toHaveProperty('token');
  });

  it('updates a message and threads replies onto it', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0ALERTS1', text: 'deploy opened' });
    const updated = await client.chat.update({
      channel: 'C0ALERTS1',
      ts: parent.ts!,
      text: 'deploy acknowledged',
    });
    expect(updated).toMatchObject({
      ok: true,
      channel: 'C0ALERTS1',
      ts: parent.ts,
      text: 'deploy acknowledged',
    });
    const reply = await client.chat.postMessage({
      channel: 'C0ALERTS1',
      thread_ts: parent.ts!,
      text: 'looking',
    });
    expect(reply.message).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0SAMPLE01' });

    const thread = await client.conversations.replies({ channel: 'C0ALERTS1', ts: parent.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(['deploy acknowledged', 'looking']);
    expect(thread.messages?.[0]).toMatchObject({ reply_count: 1, edited: { user: 'U0SAMPLE01' } });
    const permalink = await client.chat.getPermalink({ channel: 'C0ALERTS1', message_ts: reply.ts! });
    expect(permalink.permalink).toContain(`thread_ts=${parent.ts}`);
  });

  it('paginates history newest first and replies oldest first', async () => {
    const posted = [];
    for (let i = 0; i < 5; i += 1)
      posted.push(await client.chat.postMessage({ channel: 'general', text: `m${i}` }));
    const first = await client.conversations.history({ channel: 'C0GENERAL', limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    const texts: string[] = [];
    for await (const page of client.paginate('conversations.history', { channel: 'C0GENERAL', limit: 2 })) {
      const { messages } = page as { messages?: { text?: string }[] };
      texts.push(...(messages ?? []).map((m) => m.text ?? ''));
    }
    expect(texts).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);

    const root = posted[0]!.ts!;
    for (const text of ['r1', 'r2', 'r3'])
      await client.chat.postMessage({ channel: 'general', thread_ts: root, text });
    const page1 = await client.conversations.replies({ channel: 'C0GENERAL', ts: root, limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['m0', 'r1']);
    const page2 = await client.conversations.replies({
      channel: 'C0GENERAL',
      ts: root,
      limit: 2,
      cursor: page1.response_metadata!.next_cursor!,
    });
    expect(page2.messages?.map((m) => m.text)).toEqual(['r2', 'r3']);
    expect(page2.response_metadata?.next_cursor).toBe('');
  });

  it('keeps message metadata, returns it only with include_all_metadata, and bounds history by oldest/latest', async () => {
    emulator.workspace.addChannel(seedChannel('C0RANDOM1', 'random'));
    const metadata = { event_type: 'probe_made', event_payload: { probe: 'P-1', n: 2 } };
    const before = await client.chat.postMessage({ channel: 'random', text: 'before' });
    const tagged = await client.chat.postMessage({ channel: 'random', text: 'tagged', metadata });
    const after = await client.chat.postMessage({ channel: 'random', text: 'after' });
    // chat.postMessage does not echo the metadata back; only history asked for it does.
    expect(tagged.message).not.toHaveProperty('metadata');
    const plain = await client.conversations.history({ channel: 'C0RANDOM1' });
    expect(plain.messages?.some((m) => 'metadata' in m)).toBe(false);
    const window = await client.conversations.history({
      channel: 'C0RANDOM1',
      include_all_metadata: true,
      oldest: before.ts!,
      latest: after.ts!,
    });
    expect(window.messages).toEqual([expect.objectContaining({ ts: tagged.ts, text: 'tagged', metadata })]);
    const inclusive = await client.conversations.history({
      channel: 'C0RANDOM1',
      oldest: before.ts!,
      latest: after.ts!,
      inclusive: true,
    });
    expect(inclusive.messages?.map((m) => m.text)).toEqual(['after', 'tagged', 'before']);
  });

  it('lists channels by type, paginated, and reads a conversation by id only', async () => {
    emulator.workspace.addChannel({ ...seedChannel('G0SECRET1', 'secret'), is_private: true });
    emulator.workspace.addChannel({
      ...seedChannel('G0OTHERS1', 'others'),
      is_private: true,
      is_member: false,
    });
    const names = async (args: Record<string, unknown>) => {
      const found: string[] = [];
      for await (const page of client.paginate('conversations.list', { ...args, limit: 1 })) {
        found.push(...((page as { channels?: { name?: string }[] }).channels ?? []).map((c) => c.name ?? ''));
      }
      return found.sort();
    };
    expect(await names({})).toEqual(expect.arrayContaining(['alerts', 'general']));
    expect(await names({})).not.toContain('secret');
    expect(await names({ types: 'private_channel' })).toEqual(['secret']);
    expect((await platformError(client.conversations.list({ types: 'rooms' }))).data.error).toBe(
      'invalid_types',
    );
    expect((await platformError(client.conversations.history({ channel: 'general' }))).data.error).toBe(
      'channel_not_found',
    );
  });

  it('rejects malformed metadata as Slack does, and ignores an event_type Slack would not accept', async () => {
    const post = (metadata: unknown) =>
      platformError(
        client.apiCall('chat.postMessage', {
          channel: 'random',
          text: 'x',
          metadata: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
        }),
      );
    emulator.workspace.addChannel(seedChannel('C0RANDOM1', 'random'));
    const callsBefore = emulator.workspace.postCalls().length;
    expect((await post('{not json')).data.error).toBe('invalid_metadata_format');
    expect((await post(['event_type'])).data.error).toBe('invalid_metadata_format');
    expect((await post({ event_payload: {} })).data.error).toBe('invalid_metadata_schema');
    expect((await post({ event_type: 'x', event_payload: 'text' })).data.error).toBe(
      'invalid_metadata_schema',
    );
    expect(emulator.workspace.postCalls().length).toBe(callsBefore);
    // Periods are not allowed in an event type: Slack posts the message, drops the metadata and warns.
    const warned = await client.chat.postMessage({
      channel: 'random',
      text: 'with a bad event type',
      metadata: { event_type: 'probe.made', event_payload: {} },
    });
    expect(warned).toMatchObject({ ok: true, warning: 'invalid_metadata_schema' });
    expect(emulator.workspace.message('C0RANDOM1', warned.ts!)?.metadata).toBeUndefined();
  });

  it('surfaces Slack error codes as platform errors', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
    expect((await platformError(anonymous.auth.test())).data.error).toBe('not_authed');
    const stranger = new WebClient('xoxb-not-ours', {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
    });
    expect((await platformError(stranger.auth.test())).data.error).toBe('invalid_auth');
    expect((await platformError(client.chat.postMessage({ channel: 'nowhere', text: 'x' }))).data.error).toBe(
      'channel_not_found',
    );
    expect((await platformError(client.chat.postMessage({ channel: 'alerts', text: '' }))).data.error).toBe(
      'no_text',
    );
    expect(
      (await platformError(client.chat.update({ channel: 'alerts', ts: '1.000001', text: 'x' }))).data.error,
    ).toBe('message_not_found');
    expect((await platformError(client.users.info({ user: 'U0NOBODY1' }))).data.error).toBe('user_not_found');
    expect((await platformError(client.apiCall('chat.teleport'))).data.error).toBe('unknown_method');
    expect(emulator.workspace.calls.at(-1)).toMatchObject({
      method: 'chat.teleport',
      ok: false,
      error: 'unknown_method',
    });
  });

  it('rejects blocks Slack would reject, with json-pointer messages', async () => {
    const tooLong = await platformError(
      client.chat.postMessage({
        channel: 'alerts',
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3001) } }],
      }),
    );
    expect(tooLong.data.error).toBe('invalid_blocks');
    expect(tooLong.data.response_metadata?.messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' as const }));
    const error = await platformError(
      client.chat.postMessage({ channel: 'alerts', text: 'x', blocks: tooMany }),
    );
    expect(error.data.error).toBe('invalid_blocks');
  });

  it('accepts JSON bodies with a Bearer token', async () => {
    const response = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.botToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C0ALERTS1', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: true,
      channel: 'C0ALERTS1',
      message: { text: 'json' },
    });
  });

  it('honours an injected 429 with Retry-After: a retrying client waits and succeeds', async () => {
    emulator.faults.add({ method: 'chat.postMessage', status: 429, retryAfterSeconds: 0, times: 1 });
    const retrying = new WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
      logLevel: LogLevel.ERROR,
    });
    const posted = await retrying.chat.postMessage({ channel: 'alerts', text: 'after the limit' });
    expect(posted.ok).toBe(true);
    const attempts = emulator.workspace.calls.filter((c) => c.args['text'] === 'after the limit');
    expect(attempts.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
  });

  it('fails fast on a 429 when retries are off, and answers injected 5xx as HTTP errors', async () => {
    emulator.faults.add({ status: 503, times: 1 });
    await expect(client.auth.test()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    emulator.faults.add({ method: 'auth.test', status: 429, retryAfterSeconds: 7, times: 1 });
    const rateLimited = new WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    await expect(rateLimited.auth.test()).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
  });

  it('rate limits chat.postMessage per channel when a limit is set', async () => {
    emulator.limits.set('chat.postMessage', { perChannelPerSecond: 1 });
    const strict = new WebClient(emulator.botToken, {
      slackApiUrl: emulator.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    await strict.chat.postMessage({ channel: 'alerts', text: 'one' });
    await strict.chat.postMessage({ channel: 'general', text: 'other channel' });
    await expect(strict.chat.postMessage({ channel: 'alerts', text: 'two' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
  });

  it('serves only its own paths', async () => {
    expect((await fetch(`${emulator.url}/health`)).status).toBe(404);
    expect(emulator.owns('/api/chat.postMessage')).toBe(true);
    expect(emulator.owns('/webhook/github')).toBe(false);
  });
});
