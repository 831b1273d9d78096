/**
 * The page's server side for an app that brings nothing of its own (no menu, no phone): what a person types on the
 * page reaches the hello-world Bolt app as Slack's payloads, and the snapshot names the app after its bot user.
 * Hikeshi's test/integration/emulator-web-ui.test.ts covers a host with a menu and a phone.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUser, startSlackEmulator, type SlackEmulator } from '../../src/index.js';
import type { UiState } from '../../src/web/protocol.js';
import { createEmulatorWebUi, type EmulatorWebUi } from '../../src/web/ui-server.js';
import { helloWorld } from '../helpers/hello-world-app.js';

const ADA = 'U0ADA0001';

let emulator: SlackEmulator;
let app: App;
let page: EmulatorWebUi;
let server: Server;
let url: string;

const state = async (): Promise<UiState> =>
  (await (await fetch(`${url}/emulator/api/state?user=${ADA}`)).json()) as UiState;
const post = (action: string, body: unknown) =>
  fetch(`${url}/emulator/api/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  emulator = await startSlackEmulator({ workspace: { users: [seedUser(ADA, 'ada', 'Ada Lovelace')] } });
  app = new App({
    token: emulator.botToken,
    appToken: emulator.appToken,
    socketMode: true,
    clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });
  helloWorld(app);
  await app.start();
  page = createEmulatorWebUi({ emulator });
  server = createServer((req, res) => page.listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  page.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await app.stop();
  await emulator.close();
});

describe('the page for an app with nothing of its own', () => {
  it('names the app after its bot user, opens #general, and shows no menu and no phone', async () => {
    const s = await state();
    expect(s.app).toMatchObject({ name: 'App', commands: [], commandHints: [] });
    expect(s.bot.name).toBe('app');
    expect(s.channels.find((c) => c.id === s.defaultChannel)?.name).toBe('general');
    expect(s.menu).toBeUndefined();
    expect(s.phone).toBeUndefined();
    expect((await post('menu', { id: 'anything' })).status).toBe(400);
    expect((await post('phone', { callId: 'c1', answer: 'accept' })).status).toBe(404);
  });

  it('turns a typed command, a click and an @mention into the app’s payloads', async () => {
    expect(await (await post('command', { user: ADA, channel: 'C0GENERAL', text: '/hello' })).json()).toEqual(
      {
        ok: true,
      },
    );
    const texts = async () => (await state()).messages['C0GENERAL']?.map((m) => m.text) ?? [];
    await expect.poll(texts).toContain(`Hello, <@${ADA}>!`);
    const hello = (await state()).messages['C0GENERAL']?.find((m) => m.text === `Hello, <@${ADA}>!`);
    await post('click', { user: ADA, channel: 'C0GENERAL', messageTs: hello?.ts, actionId: 'wave' });
    await expect.poll(texts).toContain(`<@${ADA}> waved 👋`);
    await post('message', { user: ADA, channel: 'C0GENERAL', text: '@app hi there' });
    await expect.poll(texts).toContain(`<@${emulator.workspace.bot.userId}> hi there`);
  });
});
