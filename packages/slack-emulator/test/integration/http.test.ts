import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import { postSignedToSlackEndpoint } from '../helpers/slack-signing.js';
import { sampleWorkspace } from '../helpers/sample-workspace.js';

let emulator: SlackEmulator;
let server: Server;
let endpoint: string;
const received: { command?: string; retryNum?: number | undefined; mention?: string; action?: string } = {};

beforeAll(async () => {
  emulator = await startSlackEmulator({ workspace: sampleWorkspace() });
  const receiver = new HTTPReceiver({
    signingSecret: emulator.signingSecret,
    processBeforeResponse: true,
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    token: emulator.botToken,
    receiver,
    clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });
  app.command('/deploy', async ({ command, ack }) => {
    received.command = command.text;
    await ack({ response_type: 'in_channel', text: `declared: ${command.text}` });
  });
  app.event('app_mention', async ({ event, context }) => {
    received.mention = event.text;
    received.retryNum = context.retryNum;
  });
  app.action('ack_deploy', async ({ ack, respond }) => {
    await ack();
    received.action = 'ack_deploy';
    await respond({ text: 'only you can see this' });
  });
  server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  emulator.useHttpTransport({ url: endpoint, signingSecret: emulator.signingSecret });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await emulator.close();
});

describe('emulator HTTP transport with Bolt HTTPReceiver', () => {
  it('posts a signed slash command; processBeforeResponse returns the ack body', async () => {
    const result = await emulator.actions.runCommand({
      userId: 'U0ALICE01',
      channelId: 'alerts',
      command: '/deploy',
      text: 'checkout down',
    });
    expect(result).toMatchObject({
      transport: 'http',
      status: 200,
      body: { response_type: 'in_channel', text: 'declared: checkout down' },
    });
    expect(received.command).toBe('checkout down');
    expect(emulator.workspace.messages('C0ALERTS1').at(-1)).toMatchObject({
      text: 'declared: checkout down',
    });
  });

  it('sends events as event_callback JSON with retry headers when asked', async () => {
    const result = await emulator.actions.mention(
      { userId: 'U0BOB0001', channelId: 'general', text: 'help' },
      { retryAttempt: 1, retryReason: 'http_timeout' },
    );
    expect(result).toMatchObject({ transport: 'http', status: 200 });
    expect(received).toMatchObject({ mention: '<@U0SAMPLE01> help', retryNum: 1 });
  });

  it('sends interactions as a payload form field with a working response_url', async () => {
    const posted = emulator.workspace.postMessage({
      channel: 'C0ALERTS1',
      user: 'U0SAMPLE01',
      asBot: true,
      text: 'alert',
      blocks: [
        {
          type: 'actions',
          block_id: 'a',
          elements: [{ type: 'button', action_id: 'ack_deploy', text: { type: 'plain_text', text: 'Ack' } }],
        },
      ],
    });
    const result = await emulator.actions.clickButton({
      userId: 'U0CAROL01',
      channelId: 'alerts',
      messageTs: posted.ts,
      actionId: 'ack_deploy',
    });
    expect(result).toMatchObject({ transport: 'http', status: 200 });
    expect(received.action).toBe('ack_deploy');
    expect(emulator.workspace.ephemerals.at(-1)).toMatchObject({
      user: 'U0CAROL01',
      text: 'only you can see this',
    });
  });

  it('gets 401 for a bad signature and for a timestamp six minutes old', async () => {
    const body = new URLSearchParams({ command: '/deploy', text: 'x', team_id: 'T0LOCAL01' }).toString();
    const common = {
      body,
      contentType: 'application/x-www-form-urlencoded' as const,
      signingSecret: emulator.signingSecret,
    };
    const bad = await postSignedToSlackEndpoint(endpoint, { ...common, signature: 'v0=deadbeef' });
    expect(bad.status).toBe(401);
    const stale = await postSignedToSlackEndpoint(endpoint, {
      ...common,
      timestamp: Math.floor(Date.now() / 1000) - 360,
    });
    expect(stale.status).toBe(401);
    const wrongSecret = await postSignedToSlackEndpoint(endpoint, {
      ...common,
      signingSecret: 'not-the-secret',
    });
    expect(wrongSecret.status).toBe(401);
  });
});
