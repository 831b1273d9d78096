import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { createSlackEmulator, startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import { emulatorWebClient } from '../helpers/web-client.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

let emulator: SlackEmulator;
/** WebClient logs Slack's response_metadata [ERROR] lines; the assertions check them instead. */
let client: WebClient;

const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: title } }],
  ...extra,
});

beforeAll(async () => {
  emulator = await startSlackEmulator({ workspace: sampleWorkspace() });
  client = emulatorWebClient(emulator);
});

afterAll(async () => {
  await emulator.close();
});

describe('emulator views', () => {
  it('opens, pushes (up to three) and updates with hash checks', async () => {
    const trigger = () => emulator.workspace.issueTrigger('U0ALICE01');
    const opened = await client.views.open({
      trigger_id: trigger(),
      view: modal('One', { external_id: 'ext-1' }),
    });
    expect(opened.view).toMatchObject({ type: 'modal', root_view_id: opened.view?.id, external_id: 'ext-1' });
    const pushed = await client.views.push({ trigger_id: trigger(), view: modal('Two') });
    expect(pushed.view).toMatchObject({ root_view_id: opened.view?.id, previous_view_id: opened.view?.id });
    await client.views.push({ trigger_id: trigger(), view: modal('Three') });
    await expect(client.views.push({ trigger_id: trigger(), view: modal('Four') })).rejects.toMatchObject({
      data: { error: 'push_limit_reached' },
    });
    expect(emulator.workspace.views.stack('U0ALICE01')).toHaveLength(3);

    const stale = opened.view!.hash!;
    const updated = await client.views.update({
      external_id: 'ext-1',
      view: modal('One, updated'),
      hash: stale,
    });
    expect(updated.view?.hash).not.toBe(stale);
    await expect(
      client.views.update({ view_id: opened.view!.id!, view: modal('x'), hash: stale }),
    ).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
    await expect(client.views.update({ view_id: 'V0NOPE', view: modal('x') })).rejects.toMatchObject({
      data: { error: 'not_found' },
    });
  });

  it('validates views like Slack: invalid_arguments with json-pointer messages', async () => {
    const error = client.views.open({
      trigger_id: emulator.workspace.issueTrigger('U0BOB0001'),
      view: modal('A title that is far too long for Slack'),
    });
    await expect(error).rejects.toMatchObject({
      data: {
        error: 'invalid_arguments',
        response_metadata: {
          messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
        },
      },
    });
  });

  it('publishes an App Home per user', async () => {
    const home = await client.views.publish({
      user_id: 'U0CAROL01',
      view: { type: 'home', blocks: [{ type: 'divider' }] },
    });
    expect(home.view).toMatchObject({ type: 'home' });
    expect(emulator.workspace.views.home('U0CAROL01')?.id).toBe(home.view?.id);
    await expect(
      client.views.publish({ user_id: 'U0NOBODY1', view: { type: 'home', blocks: [] } }),
    ).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });
});

describe('emulator response_url', () => {
  it('accepts five posts, then answers used_url', async () => {
    const url = `${emulator.url}/response/${emulator.workspace.issueResponseUrl({
      channel: 'C0ALERTS1',
      user: 'U0ALICE01',
      fromEphemeral: false,
    })}`;
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'one' })).status).toBe(200);
    expect((await post({ blocks: [{ type: 'bogus' }] })).status).toBe(400);
    for (let i = 0; i < 3; i += 1)
      expect((await post({ text: `more ${i}`, response_type: 'in_channel' })).status).toBe(200);
    const sixth = await post({ text: 'too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
    expect(emulator.workspace.ephemerals.filter((e) => e.user === 'U0ALICE01').map((e) => e.text)).toContain(
      'one',
    );
  });
});

describe('a mounted emulator', () => {
  let server: Server;
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('serves under a base path beside the host app routes', async () => {
    const mounted = createSlackEmulator({ basePath: '/slack', workspace: sampleWorkspace() });
    server = createServer((req, res) => {
      if (mounted.owns(req.url ?? '/')) return mounted.requestListener(req, res);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}');
    });
    server.on('upgrade', (req, socket, head) => mounted.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mounted.setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    expect(mounted.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/api\/$/);

    const mountedClient = new WebClient(mounted.botToken, {
      slackApiUrl: mounted.apiUrl,
      retryConfig: { retries: 0 },
    });
    expect((await mountedClient.auth.test()).user_id).toBe('U0SAMPLE01');
    const appClient = new WebClient(mounted.appToken, {
      slackApiUrl: mounted.apiUrl,
      retryConfig: { retries: 0 },
    });
    const { url } = await appClient.apps.connections.open();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/slack\/link\/\?ticket=/);
    await expect(appClient.auth.test()).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    expect(await (await fetch(mounted.url.replace('/slack', '/health'))).json()).toEqual({
      status: 'healthy',
    });
    await mounted.close();
  });
});
