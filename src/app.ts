/**
 * The composition root: the only place that constructs clients and adapters (DESIGN.md). Importing this
 * module has no side effects; `buildApp` does the wiring and `start`/`stop` own the lifecycle.
 */
import type { App as BoltApp } from '@slack/bolt';
import type { Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { healthRoutes } from './ingress/routes/health.js';
import { reportRoutes } from './ingress/routes/reports.js';
import { buildIntegrations, type IntegrationOptions } from './integrations/index.js';
import { readLocalReport } from './integrations/local-report.js';
import { createSlackThread } from './integrations/slack-thread.js';
import { createAnalysisService } from './services/analysis.js';
import { createIncidentNotices } from './services/incident-notices.js';
import { createReportService } from './services/reports.js';
import { alertRoutes } from './ingress/routes/alerts.js';
import { jobRoutes } from './ingress/routes/jobs.js';
import { webhookRoutes } from './ingress/routes/webhooks.js';
import { buildTaskPipeline, type TaskPipeline, type TaskQueueTuning } from './integrations/task-pipeline.js';
import type { TaskConsumer } from './services/ports/task-queue.js';
import { createSharedSecret, LOCAL_DEV_SECRET, LOCAL_DEV_TOKEN } from './ingress/auth.js';
import { createJobService } from './services/jobs.js';
import type { JobScheduleState, StoredJobReport } from './services/job-records.js';
import { createScheduler, type Scheduler } from './services/scheduler.js';
import { createSnsEndpointClient, type SnsEndpointOptions } from './integrations/sns-endpoint.js';
import { createRouter, type IngressHandler } from './ingress/router.js';
import { createBoltApp, type BoltBundle, type SlackRuntime } from './integrations/slack-bolt.js';
import { registerListeners } from './listeners/index.js';
import { createLogger, type Logger } from './logger.js';
import type { Services } from './services/index.js';
import {
  createStore,
  type JobReportsRepository,
  type JobSchedulesRepository,
  type Store,
} from './store/index.js';
import { createIncidentService, type IncidentService, type IncidentStore } from './services/incidents.js';
import { createSlackIncidentPublisher } from './integrations/slack-incident-publisher.js';
import { createInProcessDefer } from './services/in-process-defer.js';
import type { DeferredHandlers } from './services/ports/defer.js';
import { createOncallService } from './services/oncall.js';
import { createEscalationService, escalationPolicyFrom } from './services/escalation.js';
import { buildPhone } from './integrations/phone.js';
import { connectRoutes } from './ingress/routes/connect.js';
import type { CallRecord } from './domain/call-record.js';
import type { CallHistoryRepository } from './store/call-history-repository.js';
import { secretValuesOf } from './config.js';

export interface SlackConnection {
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
}

export interface AppOverrides {
  logger?: Logger;
  clock?: Clock;
  store?: Store;
  /** Where Slack is: the emulator in local runs and tests, otherwise taken from the config. */
  slack?: SlackConnection;
  /** On Lambda the Slack function uses AwsLambdaReceiver. */
  runtime?: 'server' | 'lambda';
  slackRetryConfig?: { retries: number };
  /** Bedrock timeout and retries (tests shorten them). */
  integrations?: IntegrationOptions;
  /** Slack pacing (defaults: one edit per second per message, one post per second per channel); tests shorten it. */
  slackPacing?: { minUpdateIntervalMs?: number; channelPostIntervalMs?: number };
  /** Tests only: the fetch and host rule the SNS endpoint uses to reach a local fake instead of AWS. */
  sns?: Pick<SnsEndpointOptions, 'fetch' | 'trust'>;
  /** `npm start` only: with QUEUE unset, use an in-process task queue when RabbitMQ is unreachable. */
  taskQueueFallback?: boolean;
  /** Task queue retry / reconnect delays (tests shorten them). */
  taskQueue?: TaskQueueTuning;
}

export interface HikeshiApp {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  services: Services;
  bolt: BoltApp;
  slack: BoltBundle;
  ingress: IngressHandler;
  /** Timed work (missed job runs, …); started by `start`. On Lambda the tick handler calls `runOnce`. */
  scheduler: Scheduler;
  /** Webhook tasks (issue 5): the queue, the service, and `consume()` (started by `start` on a server). */
  tasks: TaskPipeline;
  /** Connects Socket Mode when that is the receiver; the HTTP server is started by the caller. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function slackRuntime(config: Config, overrides: AppOverrides): { runtime: SlackRuntime; apiUrl?: string } {
  const connection: SlackConnection | undefined =
    overrides.slack ??
    (config.slack.botToken
      ? {
          botToken: config.slack.botToken.reveal(),
          ...(config.slack.appToken ? { appToken: config.slack.appToken.reveal() } : {}),
          ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret.reveal() } : {}),
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
        }
      : undefined);
  if (!connection) throw new Error('No Slack connection: start the emulator or set SLACK_BOT_TOKEN');
  const apiUrl = connection.apiUrl === undefined ? {} : { apiUrl: connection.apiUrl };
  if (overrides.runtime === 'lambda') {
    return {
      runtime: {
        kind: 'lambda',
        botToken: connection.botToken,
        signingSecret: connection.signingSecret ?? '',
      },
      ...apiUrl,
    };
  }
  if (connection.appToken) {
    return {
      runtime: { kind: 'socket', botToken: connection.botToken, appToken: connection.appToken },
      ...apiUrl,
    };
  }
  return {
    runtime: { kind: 'http', botToken: connection.botToken, signingSecret: connection.signingSecret ?? '' },
    ...apiUrl,
  };
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<HikeshiApp> {
  const logger =
    overrides.logger ??
    createLogger({ level: config.logLevel, format: config.logFormat, secrets: secretValuesOf(config) });
  const clock = overrides.clock ?? systemClock;
  const ownsStore = overrides.store === undefined;
  const store =
    overrides.store ??
    (await createStore({
      mode: config.store,
      dataDir: config.dataDir,
      region: config.awsRegion,
      tables: config.tables,
      clock,
      logger,
    }));

  const { runtime, apiUrl } = slackRuntime(config, overrides);
  const slack = createBoltApp({
    runtime,
    apiUrl,
    logger,
    ...(overrides.slackRetryConfig ? { retryConfig: overrides.slackRetryConfig } : {}),
  });

  // The publisher and the service refer to each other (the publisher renders stored incidents and records
  // where it posted them), so the publisher reaches the service through this late-bound reference.
  const late: { incidents?: IncidentService } = {};
  const incidentService = () => {
    if (!late.incidents) throw new Error('incident service not built yet');
    return late.incidents;
  };
  const publisher = createSlackIncidentPublisher({
    client: slack.app.client,
    channel: config.slack.alertChannel,
    load: (id) => incidentService().get(id),
    attach: (id, message) => incidentService().attachMessage(id, message),
    logger: logger.child({ component: 'slack-publisher' }),
    ...overrides.slackPacing,
  });
  const incidents = createIncidentService({
    incidents: store.incidents as IncidentStore,
    publisher,
    clock,
    logger,
  });
  late.incidents = incidents;
  const jobs = createJobService({
    reports: store.jobReports as JobReportsRepository<StoredJobReport>,
    schedules: store.jobSchedules as JobSchedulesRepository<JobScheduleState>,
    dedup: store.dedup,
    incidents,
    findOpenIncident: (fingerprint) => store.incidents.findOpenByFingerprint(fingerprint),
    clock,
    logger: logger.child({ component: 'jobs' }),
    historyTtlDays: config.historyTtlDays,
  });
  const scheduler = createScheduler({
    intervalMs: config.jobTickSeconds * 1000,
    tasks: [{ name: 'jobs.missed-runs', run: (now) => jobs.tick(now) }],
    clock,
    logger: logger.child({ component: 'scheduler' }),
  });
  // Slow work after the ack: services register named handlers; `defer` runs them in the background here
  // (and, on Lambda, in the worker function).
  const deferredHandlers: DeferredHandlers = {};
  const defer = createInProcessDefer(() => deferredHandlers, logger);
  const oncall = createOncallService({ responders: store.responders, groupId: config.respondersGroupId });
  // To Bedrock Agent, Reporting and Chatwork notices: the outside systems the configuration names.
  const outside = buildIntegrations(config, logger, overrides.integrations);
  const thread = createSlackThread({
    client: slack.app.client,
    logger: logger.child({ component: 'slack-thread' }),
  });
  const incidentWork = { incidents, slack: thread, defer, notifier: outside.notifier, clock, logger };
  // Phone escalation (issue 7): Amazon Connect, the local phone in emulator mode, or none.
  const phone = buildPhone(config, logger);
  const escalation = createEscalationService({
    incidents,
    oncall,
    callStatus: store.callStatus,
    inProgress: store.inProgress,
    callHistory: store.callHistory as CallHistoryRepository<CallRecord>,
    caller: phone.caller,
    notifier: outside.notifier,
    thread: publisher,
    clock,
    logger,
    policy: escalationPolicyFrom(config.escalation),
    historyTtlDays: config.historyTtlDays,
  });
  if (escalation.enabled) {
    scheduler.add({
      name: 'escalation',
      intervalMs: config.escalation.tickSeconds * 1000,
      run: (now) => escalation.tick(now),
    });
  }
  const agent = outside.agent;
  const analysis = createAnalysisService({
    ...incidentWork,
    analysis: outside.analysis,
    ...(agent ? { agentIds: agent.ids } : {}),
  });
  const reports = createReportService({
    ...incidentWork,
    publisher: outside.reportPublisher,
    destination: outside.reportDestination,
    ...(agent ? { summariser: agent.port, agentIds: agent.ids } : {}),
    callHistory: (id) => escalation.reportCalls(id),
  });
  const notices = outside.notifying
    ? createIncidentNotices({ incidents, notifier: outside.notifier, defer, clock })
    : undefined;
  Object.assign(deferredHandlers, analysis.handlers, reports.handlers, notices?.handlers);
  const tasks = buildTaskPipeline(config, {
    store,
    client: slack.app.client,
    clock,
    logger,
    fallbackToMemory: overrides.taskQueueFallback === true,
    ...(overrides.taskQueue ? { tuning: overrides.taskQueue } : {}),
  });
  const services: Services = {
    tasks: tasks.service,
    store,
    incidents,
    publisher,
    oncall,
    analysis,
    reports,
    notifier: outside.notifier,
    defer,
    deferredHandlers,
    jobs,
    escalation,
    ...(phone.local ? { localPhone: phone.local } : {}),
  };
  registerListeners(slack.app, { services, logger, clock });

  const sns = createSnsEndpointClient({ ...overrides.sns, logger: logger.child({ component: 'sns' }) });
  const ingress = createRouter(
    [
      ...healthRoutes(),
      ...reportRoutes({ read: (file) => readLocalReport(outside.reportsDir, file) }),
      ...alertRoutes({
        incidents,
        dedup: store.dedup,
        sns,
        clock,
        logger,
        alertsApiToken: config.alertsApiToken,
        eventsV2RoutingKey: config.eventsV2RoutingKey,
        snsTopicArns: config.snsTopicArns,
        allowLocalDefaults: config.slack.mode === 'emulator',
      }),
      ...jobRoutes({
        jobs,
        secret: createSharedSecret({
          variable: 'JOB_REPORT_SECRET',
          value: config.jobReportSecret,
          localDefault: LOCAL_DEV_SECRET,
          allowLocalDefault: config.slack.mode === 'emulator',
          logger,
          credentialName: 'secret',
        }),
      }),
      ...connectRoutes({
        escalation,
        token: createSharedSecret({
          variable: 'CONNECT_CALLBACK_TOKEN',
          value: config.connect.callbackToken,
          localDefault: LOCAL_DEV_TOKEN,
          allowLocalDefault: config.slack.mode === 'emulator',
          logger,
          credentialName: 'bearer token',
        }),
      }),
      ...webhookRoutes({
        tasks: tasks.service,
        label: config.tasks.label,
        githubWebhookSecret: config.github.webhookSecret,
        gitlabWebhookToken: config.gitlab.webhookToken,
        gitlabSystemHookToken: config.gitlab.systemHookToken,
        allowLocalDefaults: config.slack.mode === 'emulator',
        clock,
        logger,
      }),
    ],
    { logger },
  );

  let started = false;
  let taskConsumer: TaskConsumer | undefined;
  return {
    config,
    logger,
    clock,
    store,
    services,
    bolt: slack.app,
    slack,
    ingress,
    scheduler,
    tasks,
    async start() {
      scheduler.start();
      // `npm start` consumes tasks in-process; `npm run consumer` and the Lambda `tasks` handler do it elsewhere.
      if (runtime.kind !== 'lambda') taskConsumer ??= await tasks.consume();
      if (runtime.kind === 'socket') {
        await slack.app.start();
        started = true;
      }
      // Incidents stored but never shown (a crash or a Slack outage between the write and the post).
      const unposted = await incidents.resync();
      if (unposted > 0) logger.info({ unposted }, 're-publishing incidents that have no Slack message yet');
    },
    async stop() {
      await taskConsumer?.stop();
      taskConsumer = undefined;
      await tasks.queue.close();
      await scheduler.stop();
      escalation.close();
      await escalation.drain();
      phone.close();
      await defer.drain();
      notices?.stop();
      await outside.close();
      await publisher.flush();
      if (started) await slack.app.stop();
      started = false;
      if (ownsStore) await store.close();
    },
  };
}
