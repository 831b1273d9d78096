/**
 * An HTTP worker of a cluster (WEB_CONCURRENCY > 1, src/cluster-primary.ts): the same routes, listeners and
 * services as one process, on the shared PORT, and nothing in the background. What is shared goes through the
 * primary over the cluster's IPC channel (src/cluster-ipc.ts):
 * - the embedded store: the primary owns the dynalite (one LevelDB, one writer), so each store request is handed
 *   to it; with DynamoDB every process has its own client;
 * - the Slack publisher: changes are forwarded, so one process paces Slack's edits and posts;
 * - `/metrics`: the primary adds up every process's figures;
 * - ONCALL_CONFIG reloads (`POST /-/reload`): the primary has the other processes read the file too.
 * Repeats are still counted by atomic adds, so the count of a storm spread over workers is exact.
 */
import { buildApp } from './app.js';
import {
  answerWith,
  createRequester,
  isMessage,
  type MetricsAnswer,
  type PrimaryMessage,
  type StoreAnswer,
  type WorkerMessage,
} from './cluster-ipc.js';
import type { Config } from './config/index.js';
import { createForwardingPublisher } from './integrations/forwarding-publisher.js';
import type { Logger } from './logger.js';
import { startHttpServer } from './server.js';

/** A store request the primary cannot answer in this long has failed (the SDK retries it once). */
const STORE_TIMEOUT_MS = 10_000;
const METRICS_TIMEOUT_MS = 5_000;

export async function runClusterWorker(config: Config, logger: Logger): Promise<void> {
  const send = (message: WorkerMessage): boolean =>
    process.connected && process.send !== undefined ? process.send(message) : false;
  const requests = createRequester((message) => send(message as WorkerMessage));

  const app = await buildApp(config, {
    logger,
    cluster: {
      // With DynamoDB every process has its own client; the embedded store is reached through the primary.
      storeExchange: (request) => requests.request<StoreAnswer>({ kind: 'store', request }, STORE_TIMEOUT_MS),
      background: false,
      publisher: createForwardingPublisher((message) => void send({ kind: 'publish', message })),
      renderMetrics: () => requests.request<MetricsAnswer>({ kind: 'metrics' }, METRICS_TIMEOUT_MS),
      announceReload: () => void send({ kind: 'reloaded' }),
    },
  });
  const server = await startHttpServer({
    port: config.port,
    ingress: app.ingress,
    slackListener: app.slack.httpListener,
    logger,
  });

  let stopping: Promise<void> | undefined;
  const stop = (deadline: number): Promise<void> => {
    stopping ??= (async () => {
      // Stop taking requests (those under way finish), then write every counted repeat through the primary.
      await server.close(deadline);
      await app.stop({ deadline });
      logger.flush();
      process.exit(0);
    })();
    return stopping;
  };

  process.on('message', (message: unknown) => {
    if (!isMessage<PrimaryMessage>(message)) return;
    if (message.kind === 'answer') requests.answer(message);
    else if (message.kind === 'snapshot')
      answerWith((m) => send(m), message.id, app.metrics.snapshot({ collected: false }));
    else if (message.kind === 'reload') void app.services.oncallConfig.refresh();
    else if (message.kind === 'shutdown') void stop(message.deadline);
  });
  // The primary died (or was killed): nothing can be stored any more, so stop at once.
  process.on('disconnect', () => {
    requests.failAll('the cluster primary is gone');
    logger.flush();
    process.exit(1);
  });
  // A terminal's Ctrl-C (or a SIGHUP to the group) reaches every process: the primary says when to stop, with its
  // deadline, and spreads reloads; left to its default, SIGHUP would end the worker.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  process.on('SIGHUP', () => undefined);
  send({ kind: 'listening', port: server.port });
}
