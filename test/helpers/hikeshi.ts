/**
 * Starts the whole Hikeshi app the way `npm start` does (composition root, real Bolt, real store on
 * dynalite, HTTP ingress on a free port) against the local Slack emulator, over Socket Mode or over
 * signed HTTP.
 */
import { buildApp, type AppOverrides, type HikeshiApp } from '../../src/app.js';
import { loadConfig, loadConfigWithSecrets } from '../../src/config/index.js';
import { startSlackEmulator, type SlackEmulator } from '@hikeshi/slack-emulator';
import { localSlackOptions } from '../../src/local-slack.js';
import type { Logger } from '../../src/logger.js';
import { createLogger } from '../../src/logger.js';
import { startHttpServer, type RunningServer } from '../../src/server.js';
import { startTestStore, type ManualClock, type TestStore } from './store.js';
import type { Store } from '../../src/store/index.js';

export interface TestHikeshi {
  app: HikeshiApp;
  emulator: SlackEmulator;
  store: TestStore;
  clock: ManualClock;
  server: RunningServer;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHikeshi(
  options: {
    transport?: 'socket' | 'http';
    env?: Record<string, string>;
    logger?: Logger;
    overrides?: Omit<AppOverrides, 'slack' | 'store' | 'logger' | 'clock'>;
  } = {},
): Promise<TestHikeshi> {
  const logger = options.logger ?? createLogger({ level: 'silent' });
  // Granted exactly the manifest's scopes, as a workspace would: a call without its scope fails here too.
  const emulator = await startSlackEmulator(localSlackOptions());
  const store = await startTestStore({ logger });
  const transport = options.transport ?? 'socket';
  // Tasks go through an in-process queue unless a test asks for RabbitMQ (QUEUE=rabbitmq plus its own TASK_QUEUE),
  // so apps started by unrelated tests never consume from a queue on the shared broker.
  // With SECRETS_ID in `env`, the secret is read the way production reads it (the SDK finds the Secrets
  // Manager fake through AWS_ENDPOINT_URL_SECRETS_MANAGER in process.env).
  // Storm digests off unless a test asks (DIGEST_AFTER): tests open many incidents in one minute of their clock
  // and look for each one's own message; test/integration/storm-digest*.test.ts turn them on.
  const config = await loadConfigWithSecrets({
    PORT: '0',
    NODE_ENV: 'test',
    QUEUE: 'memory',
    DIGEST_AFTER: '0',
    ...options.env,
  });
  const app = await buildApp(config, {
    logger,
    store,
    clock: store.clock,
    slackRetryConfig: { retries: 0 },
    // Real pacing is 1 s per message edit and per channel post; tests that measure pacing pass their own.
    slackPacing: { minUpdateIntervalMs: 100, channelPostIntervalMs: 20, updatesPerMinute: 60_000 },
    ...options.overrides,
    slack:
      transport === 'socket'
        ? { botToken: emulator.botToken, appToken: emulator.appToken, apiUrl: emulator.apiUrl }
        : { botToken: emulator.botToken, signingSecret: emulator.signingSecret, apiUrl: emulator.apiUrl },
  });
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    ingress: app.ingress,
    slackListener: app.slack.httpListener,
    logger,
  });
  const baseUrl = `http://127.0.0.1:${server.port}`;
  if (transport === 'http') {
    emulator.useHttpTransport({ url: `${baseUrl}/slack/events`, signingSecret: emulator.signingSecret });
  } else {
    await app.start();
    await emulator.socket.waitForConnection(5_000);
  }
  return {
    app,
    emulator,
    store,
    clock: store.clock,
    server,
    baseUrl,
    async close() {
      await server.close();
      await app.stop();
      await store.close();
      await emulator.close();
    },
  };
}

/**
 * Another Hikeshi process on the same store, clock and Slack workspace as `h` (not connected over Socket Mode:
 * it only needs to call the Web API), configured from `env`. `stop()` leaves the shared store open. `store`: the
 * peer's own client of `h`'s store instead (e.g. one whose requests pass through a test's gate).
 */
export function startPeer(
  h: TestHikeshi,
  options: { env?: Record<string, string>; logger?: Logger; store?: Store } = {},
): Promise<HikeshiApp> {
  const config = loadConfig({
    PORT: '0',
    NODE_ENV: 'test',
    QUEUE: 'memory',
    DIGEST_AFTER: '0',
    ...options.env,
  });
  return buildApp(config, {
    logger: options.logger ?? createLogger({ level: 'silent' }),
    store: options.store ?? h.store,
    clock: h.clock,
    slackRetryConfig: { retries: 0 },
    slackPacing: { minUpdateIntervalMs: 100, channelPostIntervalMs: 20, updatesPerMinute: 60_000 },
    slack: {
      botToken: h.emulator.botToken,
      signingSecret: h.emulator.signingSecret,
      apiUrl: h.emulator.apiUrl,
    },
  });
}
