/**
 * `npm run consumer`: the task consumer alone (issue 5), for running next to (or instead of) the in-process one
 * `npm start` has: it reads `TASK_QUEUE` on `AMQP_URL`, posts each task to Slack and comments on the item. Same
 * configuration as the app; it needs a real broker (never falls back) and a Slack token (no emulator), and a store
 * shared with the app when idempotency should hold across processes (STORE=dynamodb; two processes cannot share
 * one embedded store directory). SIGINT / SIGTERM finish the tasks in hand, then exit (within
 * SHUTDOWN_GRACE_SECONDS).
 */
import { buildApp } from './app.js';
import { DEFAULT_AMQP_URL, loadConfigWithSecrets, secretValuesOf, type Config } from './config/index.js';
import { isAppError } from './errors.js';
import { brokerAddress } from './integrations/app-task-queue.js';
import { createLogger } from './logger.js';
import { startGracePeriod, until } from './shutdown.js';

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function loadConfigOrExit(): Promise<Config> {
  try {
    return await loadConfigWithSecrets();
  } catch (error) {
    return exitWith(isAppError(error) ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const config = await loadConfigOrExit();
  if (config.tasks.queueMode === 'memory') {
    exitWith('npm run consumer reads RabbitMQ: with QUEUE=memory there is nothing for it to consume.');
  }
  if (config.slack.mode === 'emulator') {
    exitWith(
      'npm run consumer posts to Slack: set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, as for the app). ' +
        'Locally, npm start already runs a consumer in-process.',
    );
  }
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    secrets: secretValuesOf(config),
  });
  const app = await buildApp(config, { logger });
  const consumer = await app.tasks.consume();
  logger.info(
    {
      queue: config.tasks.queue,
      broker: brokerAddress(config.tasks.amqpUrl?.reveal() ?? DEFAULT_AMQP_URL),
      channel: config.tasks.slackChannel,
      store: app.store.mode,
    },
    'Hikeshi task consumer is running',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the tasks in hand');
    // Within the grace period: a task cut off is not acknowledged, so the broker delivers it again.
    const deadline = startGracePeriod(config.shutdownGraceSeconds, logger);
    await until(deadline, consumer.stop());
    await app.stop({ deadline });
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Hikeshi consumer failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
