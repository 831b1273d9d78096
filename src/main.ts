/**
 * `npm start`: the whole of Hikeshi in one process. In local mode (NODE_ENV not production) with no Slack tokens
 * it starts the local Slack emulator in-process and connects to it over Socket Mode, so the real Slack path runs
 * end to end; with no AWS settings the store is dynalite on disk under DATA_DIR. In production the configuration
 * must name Slack (src/config/rules.ts), and nothing local is started.
 */
import cluster from 'node:cluster';
import { join } from 'node:path';
import { buildApp, type SlackConnection } from './app.js';
import { runClusterPrimary } from './cluster-primary.js';
import { runClusterWorker } from './cluster-worker.js';
import { loadConfigWithSecrets, secretValuesOf, usesLocalEmulator, type Config } from './config/index.js';
import {
  startSlackEmulator,
  type SlackEmulator,
  persistWorkspace,
  type WorkspacePersistence,
} from '@hikeshi/slack-emulator';
import { localSlackOptions } from './local-slack.js';
import { createEmulatorPage } from './emulator-page.js';
import { isAppError } from './errors.js';
import { createLogger } from './logger.js';
import { startHttpServer } from './server.js';
import { onStopSignals } from './shutdown.js';

async function loadConfigOrExit(): Promise<Config> {
  try {
    return await loadConfigWithSecrets();
  } catch (error) {
    // One clear error naming every bad variable, then stop: nothing half-configured keeps running.
    process.stderr.write(`${isAppError(error) ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  // Deploys target Node 22 on Lambda; a local Node 20 run need not print the SDK's upgrade notice.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const config = await loadConfigOrExit();
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: secretValuesOf(config),
  });
  // WEB_CONCURRENCY > 1: HTTP workers on every core, background work once in the primary (cluster-primary.ts).
  if (config.webConcurrency > 1) {
    if (cluster.isPrimary) await runClusterPrimary(config, logger);
    else await runClusterWorker(config, logger.child({ worker: cluster.worker?.id }));
    return;
  }

  let emulator: SlackEmulator | undefined;
  let workspaceFile: WorkspacePersistence | undefined;
  let slack: SlackConnection | undefined;
  if (usesLocalEmulator(config)) {
    // Hikeshi's own workspace (its people, #alerts, the manifest's scopes and shortcuts): the emulator knows none.
    emulator = await startSlackEmulator({
      ...localSlackOptions(),
      logger: logger.child({ component: 'emulator' }),
    });
    slack = { botToken: emulator.botToken, appToken: emulator.appToken, apiUrl: emulator.apiUrl };
    logger.info({ emulator: emulator.url }, 'no Slack tokens set: using the local Slack emulator');
  }

  // Local mode, QUEUE unset and no broker reachable: tasks go through an in-process queue (logged as a warning).
  // In production a broker outage answers 503, so the sender retries, instead of tasks lost on restart.
  const app = await buildApp(config, {
    logger,
    taskQueueFallback: config.localMode,
    ...(slack ? { slack } : {}),
  });
  // The workspace survives a restart, as Slack's would: channels, messages, threads, App Home. Read once the store
  // has opened DATA_DIR (a bad one is reported there, in one line) and before the app starts showing incidents.
  if (emulator) {
    const file = join(config.dataDir, 'slack-emulator.json');
    workspaceFile = await persistWorkspace(emulator.workspace, file, { logger });
  }
  // The emulator's web page at `/`: test alerts go through the app's own public endpoints on this server.
  let appUrl = '';
  const page = emulator
    ? createEmulatorPage({
        config,
        emulator,
        appUrl: () => appUrl,
        localPhone: app.localPhone,
        logger,
      })
    : undefined;
  const server = await startHttpServer({
    port: config.port,
    ingress: app.ingress,
    slackListener: app.slack.httpListener,
    pages: page,
    logger,
  });
  appUrl = `http://127.0.0.1:${server.port}`;
  // Slack links (a report's thread link) open the thread on this page, the workspace one can see locally.
  if (emulator && page) emulator.workspace.pageUrl = server.url;
  await app.start();
  logger.info(
    {
      store: app.store.mode,
      slack: config.slack.mode,
      dataDir: config.dataDir,
      taskQueue: app.tasks.queue.kind(),
    },
    `Hikeshi is running at ${server.url} (health: ${server.url}/health)`,
  );
  if (page) logger.info(`Open ${server.url}/ to try it in your browser (the local Slack workspace)`);

  onStopSignals({
    graceSeconds: config.shutdownGraceSeconds,
    logger,
    // Stop taking work first (requests under way finish), then drain within the grace period: server, Slack
    // connection, store, emulator.
    stop: async (deadline) => {
      page?.close();
      await server.close(deadline);
      await app.stop({ deadline });
      await workspaceFile?.close();
      await emulator?.close();
    },
    reload: () => app.services.oncallConfig.reload(),
  });
}

main().catch((error: unknown) => {
  // An AppError names what is wrong in one line (a bad DATA_DIR: its path and cause); anything else is a bug.
  const reason = isAppError(error)
    ? error.message
    : error instanceof Error
      ? (error.stack ?? error.message)
      : String(error);
  process.stderr.write(`Hikeshi failed to start: ${reason}\n`);
  process.exit(1);
});
