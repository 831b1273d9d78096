/**
 * WEB_CONCURRENCY > 1: node:cluster runs that many HTTP workers (src/cluster-worker.ts) on one PORT, so ingress
 * uses every core. This process, the primary, serves no HTTP itself. It runs, once for the deployment:
 * - the background work: the scheduler (escalations, missed job runs, handoffs, silences), the task consumer,
 *   Socket Mode, the resync of Slack messages left behind;
 * - the Slack publisher the workers forward their changes to;
 * - the embedded store (dynalite), which the workers reach through it;
 * and it adds up `/metrics` and spreads ONCALL_CONFIG reloads. A worker that dies is replaced; one that dies before
 * it ever listened stops the start (a bad PORT would otherwise fork forever).
 */
import cluster, { type Worker } from 'node:cluster';
import { buildApp } from './app.js';
import {
  answerWith,
  createRequester,
  isMessage,
  type PrimaryMessage,
  type WorkerMessage,
} from './cluster-ipc.js';
import type { Config } from './config/index.js';
import { applyForwarded } from './integrations/forwarding-publisher.js';
import { mergeFamilies, renderFamilies, type FamilySnapshot } from './integrations/prometheus-metrics.js';
import type { Logger } from './logger.js';
import { onStopSignals } from './shutdown.js';

const SNAPSHOT_TIMEOUT_MS = 3_000;
const REFORK_DELAY_MS = 1_000;

interface Member {
  worker: Worker;
  listening: boolean;
  requests: ReturnType<typeof createRequester>;
}

export async function runClusterPrimary(config: Config, logger: Logger): Promise<void> {
  // Structured clone on the channel: store bodies are bytes.
  cluster.setupPrimary({ serialization: 'advanced' });
  const app = await buildApp(config, {
    logger,
    cluster: { announceReload: () => broadcast({ kind: 'reload' }) },
  });
  const members = new Map<number, Member>();
  let stopping = false;

  const broadcast = (message: PrimaryMessage, except?: Worker) => {
    for (const { worker } of members.values())
      if (worker !== except && worker.isConnected()) worker.send(message);
  };

  const metricsOfAll = async (): Promise<string> => {
    const own = await app.metrics.snapshot();
    const theirs = await Promise.all(
      [...members.values()].map((m) =>
        m.requests.request<FamilySnapshot[]>({ kind: 'snapshot' }, SNAPSHOT_TIMEOUT_MS).catch(() => []),
      ),
    );
    return renderFamilies(mergeFamilies([own, ...theirs]));
  };

  const onMessage = (member: Member, message: WorkerMessage) => {
    const reply = (answer: PrimaryMessage) => {
      if (member.worker.isConnected()) member.worker.send(answer);
    };
    switch (message.kind) {
      case 'store': {
        const exchange = app.store.exchange;
        if (exchange) answerWith(reply, message.id, exchange(message.request));
        else reply({ kind: 'answer', id: message.id, error: 'the primary has no embedded store' });
        return;
      }
      case 'publish':
        applyForwarded(app.services.publisher, message.message);
        return;
      case 'metrics':
        answerWith(reply, message.id, metricsOfAll());
        return;
      case 'reloaded':
        void app.services.oncallConfig.refresh();
        broadcast({ kind: 'reload' }, member.worker);
        return;
      case 'listening':
        member.listening = true;
        listened(message.port);
        return;
      case 'answer':
        member.requests.answer(message);
        return;
    }
  };

  let announced = false;
  let firstPort = 0;
  const listened = (port: number) => {
    firstPort ||= port;
    if (announced) {
      logger.info({ workers: members.size }, 'a replacement HTTP worker is listening');
      return;
    }
    if ([...members.values()].some((m) => !m.listening)) return;
    announced = true;
    const url = `http://localhost:${firstPort}`;
    logger.info(
      { workers: members.size, store: app.store.mode, slack: config.slack.mode, dataDir: config.dataDir },
      `Hikeshi is running at ${url} (health: ${url}/health), ${members.size} HTTP workers`,
    );
  };

  const fork = () => {
    const worker = cluster.fork();
    const member: Member = {
      worker,
      listening: false,
      requests: createRequester((message) => worker.isConnected() && worker.send(message)),
    };
    members.set(worker.id, member);
    worker.on('message', (message: unknown) => {
      if (isMessage<WorkerMessage>(message)) onMessage(member, message);
    });
    worker.on('exit', (code, signal) => {
      members.delete(worker.id);
      member.requests.failAll('the worker exited');
      if (stopping) return;
      if (!member.listening) {
        logger.fatal({ code, signal }, 'an HTTP worker failed to start: stopping');
        void shutdown('worker start failure', 1);
        return;
      }
      logger.error({ code, signal }, 'an HTTP worker died: starting another');
      setTimeout(() => {
        if (!stopping) fork();
      }, REFORK_DELAY_MS).unref();
    });
  };

  const shutdown = onStopSignals({
    graceSeconds: config.shutdownGraceSeconds,
    logger,
    stop: async (deadline) => {
      stopping = true;
      // The workers first: they stop taking requests and write what they counted through this process's store.
      const exits = [...members.values()].map(
        ({ worker }) =>
          new Promise<void>((resolve) =>
            worker.isDead() ? resolve() : worker.once('exit', () => resolve()),
          ),
      );
      broadcast({ kind: 'shutdown', deadline });
      await Promise.all(exits);
      await app.stop({ deadline });
    },
    reload: () => app.services.oncallConfig.reload(),
  });

  await app.start();
  for (let i = 0; i < config.webConcurrency; i += 1) fork();
}
