/**
 * Any Bolt app can use the emulator: the hello-world app (helpers/hello-world-app.ts) over Socket Mode and over
 * HTTP (Bolt's default HTTPReceiver on a request URL, every request signed), started exactly as it would start
 * against Slack, with the emulator's tokens, signing secret and API URL. A slash command is answered, a button
 * click posts through the Web API, and a mention is answered in its thread.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUser, startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import { helloWorld } from '../helpers/hello-world-app.js';

const ADA = 'U0ADA0001';

describe.each(['socket', 'http'] as const)('a hello-world Bolt app over %s', (transport) => {
  let emulator: SlackEmulator;
  let app: App;

  beforeAll(async () => {
    // A new workspace (the bot and #general) with one person in it.
    emulator = await startSlackEmulator({ workspace: { users: [seedUser(ADA, 'ada', 'Ada Lovelace')] } });
    const common = {
      token: emulator.botToken,
      clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    };
    if (transport === 'socket') {
      app = new App({ ...common, appToken: emulator.appToken, socketMode: true });
      helloWorld(app);
      await app.start();
    } else {
      app = new App({ ...common, signingSecret: emulator.signingSecret });
      helloWorld(app);
      const server = (await app.start(0)) as Server;
      const { port } = server.address() as AddressInfo;
      emulator.useHttpTransport({ url: `http://127.0.0.1:${port}/slack/events` });
    }
  });

  afterAll(async () => {
    await app.stop();
    await emulator.close();
  });

  const general = () => emulator.workspace.messages('C0GENERAL');

  it('answers a slash command in the channel, with a button', async () => {
    const result = await emulator.actions.runCommand({
      userId: ADA,
      channelId: 'general',
      command: '/hello',
    });
    expect(result.transport).toBe(transport);
    await expect.poll(() => general().map((m) => m.text)).toContain(`Hello, <@${ADA}>!`);
    const hello = general().find((m) => m.text === `Hello, <@${ADA}>!`);
    expect(hello).toMatchObject({ bot_id: emulator.workspace.bot.botId });
    expect(JSON.stringify(hello?.blocks)).toContain('"action_id":"wave"');
  });

  it('takes a click on the button, and the app posts through the Web API', async () => {
    const hello = general().find((m) => m.text === `Hello, <@${ADA}>!`);
    await emulator.actions.clickButton({
      userId: ADA,
      channelId: 'C0GENERAL',
      messageTs: hello!.ts,
      actionId: 'wave',
    });
    await expect.poll(() => general().map((m) => m.text)).toContain(`<@${ADA}> waved 👋`);
    expect(emulator.workspace.calls.filter((c) => c.method === 'chat.postMessage' && c.ok)).toHaveLength(1);
  });

  it('delivers a mention, answered in its thread', async () => {
    await emulator.actions.mention({ userId: ADA, channelId: 'general', text: 'good morning' });
    const mention = general().at(-1)!;
    expect(mention.text).toBe(`<@${emulator.workspace.bot.userId}> good morning`);
    await expect
      .poll(() => emulator.workspace.thread('C0GENERAL', mention.ts).map((m) => m.text))
      .toContain(`Hi <@${ADA}>, you said: <@${emulator.workspace.bot.userId}> good morning`);
  });
});
