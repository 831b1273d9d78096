/**
 * Hikeshi's HTTP ingress without the background work `npm start` adds (task consumer, scheduler): the process
 * shape of the Lambda `ingress` function or of a web-only deployment, for B5, where the consumer would otherwise
 * take tasks off the queue in the same process while the ingress is measured. Configured from the environment
 * like `npm start`; announces its port.
 */
import { buildApp } from '../../src/app.js';
import { loadConfigWithSecrets, secretValuesOf } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { startHttpServer } from '../../src/server.js';
import { announce } from '../lib/process.js';

const config = await loadConfigWithSecrets();
const logger = createLogger({
  level: config.logLevel,
  format: config.logFormat,
  secrets: secretValuesOf(config),
});
const app = await buildApp(config, { logger });
const server = await startHttpServer({
  port: config.port,
  host: '127.0.0.1',
  ingress: app.ingress,
  slackListener: app.slack.httpListener,
  logger,
});
announce({ port: server.port });
process.on('SIGTERM', () => {
  void (async () => {
    await server.close();
    await app.stop();
    process.exit(0);
  })();
});
