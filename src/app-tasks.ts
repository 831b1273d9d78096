/**
 * The task pipeline of issue 5, built from the configuration: the queue (RabbitMQ, or in-process), the ledger,
 * Slack and the GitHub / GitLab commenters behind the TaskService. Part of the composition root: only app.ts
 * calls `buildTaskPipeline` (the consumer process and the Lambda handler get it through `buildApp`).
 */
import type { WebClient } from '@slack/web-api';
import { DEFAULT_AMQP_URL, type Config } from './config/index.js';
import type { Clock } from './domain/clock.js';
import type { Logger } from './logger.js';
import { meterTaskQueue } from './services/metered.js';
import { noMetrics, type Metrics } from './services/ports/metrics.js';
import type { TaskConsumer } from './services/ports/task-queue.js';
import { createTaskService, type TaskService } from './services/tasks.js';
import type { Store } from './store/index.js';
import { createTaskLedgerRepository } from './store/task-ledger-repository.js';
import { createAppTaskQueue, type AppTaskQueue } from './integrations/app-task-queue.js';
import { createGitTaskCommenter } from './integrations/git-task-commenter.js';
import { createGitHubCommenter } from './integrations/github.js';
import { createGitLabCommenter } from './integrations/gitlab.js';
import type { TaskQueueOptions } from './integrations/rabbitmq.js';
import { createSlackTaskChannel } from './integrations/slack-task-channel.js';

/** Queue tuning that is no setting of its own: tests shorten retry and reconnect delays with it. */
export type TaskQueueTuning = Partial<
  Pick<
    TaskQueueOptions,
    | 'prefetch'
    | 'reconnect'
    | 'confirmTimeoutMs'
    | 'connectTimeoutMs'
    | 'retryDelayMs'
    | 'maxRetryDelayMs'
    | 'connectionName'
  >
>;

export interface TaskPipelineDeps {
  store: Store;
  /** The Bolt app's WebClient. */
  client: WebClient;
  clock: Clock;
  logger: Logger;
  /** `npm start` only: with QUEUE unset, fall back to the in-process queue when the broker is unreachable. */
  fallbackToMemory: boolean;
  tuning?: TaskQueueTuning;
  /** Publish / consume / dead-letter counts for `GET /metrics`. */
  metrics?: Metrics;
}

export interface TaskPipeline {
  queue: AppTaskQueue;
  service: TaskService;
  /** Starts consuming: each task goes through `service.process`. */
  consume(): Promise<TaskConsumer>;
}

export function buildTaskPipeline(config: Config, deps: TaskPipelineDeps): TaskPipeline {
  const { github, gitlab, tasks } = config;
  const metrics = deps.metrics ?? noMetrics;
  const deadLetters = metrics.counter(
    'hikeshi_queue_dead_lettered_total',
    'Task messages sent to the dead-letter queue by this process: poison (not a task) or failed (too many attempts).',
  );
  deadLetters.inc({ reason: 'poison' }, 0);
  deadLetters.inc({ reason: 'failed' }, 0);
  const appQueue = createAppTaskQueue({
    mode: tasks.queueMode,
    fallbackToMemory: deps.fallbackToMemory,
    rabbitmq: {
      url: tasks.amqpUrl?.reveal() ?? DEFAULT_AMQP_URL,
      queue: tasks.queue,
      maxAttempts: tasks.maxAttempts,
      ...deps.tuning,
      onDeadLetter: (reason) => deadLetters.inc({ reason }),
    },
    logger: deps.logger,
  });
  const queue = meterTaskQueue(appQueue, metrics);
  const service = createTaskService({
    queue,
    dedup: deps.store.dedup,
    ledger: createTaskLedgerRepository({
      doc: deps.store.doc,
      tableName: deps.store.tables.dedup,
      clock: deps.clock,
    }),
    channel: createSlackTaskChannel({ client: deps.client, channel: tasks.slackChannel }),
    commenter: createGitTaskCommenter({
      ...(github.token === undefined
        ? {}
        : { github: createGitHubCommenter({ token: github.token.reveal(), baseUrl: github.apiUrl }) }),
      ...(gitlab.token === undefined
        ? {}
        : { gitlab: createGitLabCommenter({ token: gitlab.token.reveal(), url: gitlab.url }) }),
    }),
    clock: deps.clock,
    logger: deps.logger,
  });
  return {
    queue,
    service,
    consume: () =>
      queue.consume(async (task) => {
        await service.process(task);
      }),
  };
}
