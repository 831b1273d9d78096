/**
 * The composition root: the only place that constructs clients and adapters (DESIGN.md). Importing this
 * module has no side effects; the builders do the wiring and `start`/`stop` own the lifecycle.
 *
 * Two builders, one root:
 * - `buildCore` builds everything but Bolt: store, services, the Slack publisher over a plain WebClient,
 *   routes, scheduler, task pipeline. The Lambda functions that only post to Slack (ingress, worker, tick,
 *   tasks, connectFlow) run on it, so their bundles never contain Bolt (scripts/build-lambda.ts checks).
 * - `buildApp` is `buildCore` plus the Bolt app (receiver, retry guard, listeners) on top: `npm start`, the
 *   consumer process, the tests and the `slack` Lambda. Bolt's `app.client` has the core WebClient's token and
 *   options, so a listener's reply and a service's post behave alike.
 * Nothing else constructs clients: a new adapter goes into `buildCore`, a new Bolt concern into `buildApp`.
 * Each Lambda bundle swaps the parts its function never runs (routes, job monitoring, analyses, …) for
 * stand-ins that fail when called (`without` in scripts/build-lambda.ts): a part a function starts to use
 * comes off that function's list.
 */
import type { App as BoltApp } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { healthRoutes } from './ingress/routes/health.js';
import { reportRoutes } from './ingress/routes/reports.js';
import { buildIntegrations, type IntegrationOptions } from './integrations/index.js';
import { readLocalReport } from './integrations/local-report.js';
import type { LocalPhone } from './integrations/local-phone.js';
import { createSlackThread } from './integrations/slack-thread.js';
import { createAnalysisService } from './services/analysis.js';
import { createIncidentNotices } from './services/incident-notices.js';
import { createReportService } from './services/reports.js';
import { createHealthCheck } from './services/health.js';
import { alertRoutes } from './ingress/routes/alerts.js';
import { jobRoutes } from './ingress/routes/jobs.js';
import { webhookRoutes } from './ingress/routes/webhooks.js';
import { buildTaskPipeline, type TaskPipeline, type TaskQueueTuning } from './app-tasks.js';
import type { TaskConsumer } from './services/ports/task-queue.js';
import { createSharedSecret, LOCAL_DEV_SECRET, LOCAL_DEV_TOKEN } from './ingress/auth.js';
import { createJobService } from './services/jobs.js';
import type { JobScheduleState, StoredJobReport } from './domain/job-records.js';
import { createScheduler, type Scheduler } from './services/scheduler.js';
import { createSnsEndpointClient, type SnsEndpointOptions } from './integrations/sns-endpoint.js';
import { createRouter, type IngressHandler } from './ingress/router.js';
import { createBoltApp, type BoltBundle, type SlackRuntime } from './integrations/slack-bolt.js';
import { slackHttpFrontDoor } from './ingress/adapters/slack-http-guard.js';
import { createSlackWebClient, type SlackRetryConfig } from './integrations/slack-web-client.js';
import {
  createMetricsRegistry,
  PROMETHEUS_CONTENT_TYPE,
  type MetricsRegistry,
} from './integrations/prometheus-metrics.js';
import { meteredSlackFetch } from './integrations/slack-metrics.js';
import { metricsRoutes } from './ingress/routes/metrics.js';
import { meterCallHistory, meterCaller, meterIncidents, meterJobs } from './services/metered.js';
import { createLambdaDefer } from './integrations/lambda-defer.js';
import { createSlackRetryGuard } from './listeners/slack-retries.js';
import { registerListeners } from './listeners/index.js';
import { createLogger, type Logger } from './logger.js';
import type { Services } from './services/index.js';
import {
  createStore,
  incidentStoreOf,
  type JobReportsRepository,
  type JobSchedulesRepository,
  type Store,
} from './store/index.js';
import { createIncidentService, type IncidentService } from './services/incidents.js';
import {
  createSlackIncidentPublisher,
  POST_ATTEMPT_MEMORY_SECONDS,
} from './integrations/slack-incident-publisher.js';
import { createInProcessDefer } from './services/in-process-defer.js';
import { createIncidentDigests } from './services/incident-digests.js';
import { createDigestListService } from './services/digest-list.js';
import type { DeferredHandlers } from './services/ports/defer.js';
import { createOncallService } from './services/oncall.js';
import { createEscalationService, escalationPolicyFrom } from './services/escalation.js';
import { buildPhone } from './integrations/phone.js';
import { connectRoutes } from './ingress/routes/connect.js';
import type { CallRecord } from './domain/call-record.js';
import type { CallHistoryRepository } from './store/call-history-repository.js';
import { secretValuesOf, usesLocalEmulator } from './config.js';
import { buildOncall, loadOncallConfigFor } from './app-oncall.js';
import { until } from './shutdown.js';

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
  /** Web API retries (tests: none, or the production shape with short backoffs). */
  slackRetryConfig?: SlackRetryConfig;
  /** Bedrock timeout and retries (tests shorten them). */
  integrations?: IntegrationOptions;
  /** Slack pacing (defaults: one edit per second per message, one post per second per channel); tests shorten it. */
  slackPacing?: {
    minUpdateIntervalMs?: number;
    channelPostIntervalMs?: number;
    updatesPerMinute?: number;
    digestUpdateIntervalMs?: number;
  };
  /** Tests only: the fetch and host rule the SNS endpoint uses to reach a local fake instead of AWS. */
  sns?: Pick<SnsEndpointOptions, 'fetch' | 'trust'>;
  /** `npm start` only: with QUEUE unset, use an in-process task queue when RabbitMQ is unreachable. */
  taskQueueFallback?: boolean;
  /** Task queue retry / reconnect delays (tests shorten them). */
  taskQueue?: TaskQueueTuning;
}

/** Everything but Bolt (`buildCore`): what the Lambda functions other than `slack` run on. */
export interface HikeshiCore {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  services: Services;
  /** The in-memory phone `npm start` calls when Connect is not configured (the emulator's phone panel). */
  localPhone?: LocalPhone;
  /** The Web API client the services post through. */
  slackClient: WebClient;
  /** This process's figures, served at `GET /metrics` (issue 11). */
  metrics: MetricsRegistry;
  ingress: IngressHandler;
  /** Timed work (missed job runs, …); started by `start`. On Lambda the tick handler calls `runOnce`. */
  scheduler: Scheduler;
  /** Webhook tasks (issue 5): the queue, the service, and `consume()` (started by `start` on a server). */
  tasks: TaskPipeline;
  /**
   * Resolves once the work this process started has finished or been handed off: deferred jobs (run, or
   * invoked on the worker), phone-escalation steps, Slack posts and coalesced edits, Chatwork notices. Every
   * Lambda handler awaits it before returning, because timers and background promises die with the invocation.
   */
  settle(): Promise<void>;
  /** Starts the scheduler and the in-process task consumer (not on Lambda). */
  start(): Promise<void>;
  /**
   * Stops taking work, writes every accepted signal to the store, then drains. With a `deadline` (epoch ms, from
   * SHUTDOWN_GRACE_SECONDS) the drains end by then: the Slack posts and edits left are logged (`left`) and
   * finished by the next start's resync. Without one, everything is drained (tests).
   */
  stop(options?: { deadline?: number }): Promise<void>;
}

/** The core plus the Bolt app (`buildApp`). */
export interface HikeshiApp extends HikeshiCore {
  bolt: BoltApp;
  slack: BoltBundle;
  /** Also connects Socket Mode when that is the receiver; the HTTP server is started by the caller. */
  start(): Promise<void>;
}

function slackConnection(config: Config, overrides: AppOverrides): SlackConnection {
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
  return connection;
}

function slackRuntime(
  connection: SlackConnection,
  overrides: AppOverrides,
): { runtime: SlackRuntime; apiUrl?: string } {
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

export async function buildCore(config: Config, overrides: AppOverrides = {}): Promise<HikeshiCore> {
  const logger =
    overrides.logger ??
    createLogger({ level: config.logLevel, format: config.logFormat, secrets: secretValuesOf(config) });
  const clock = overrides.clock ?? systemClock;
  const metrics = createMetricsRegistry();
  // ONCALL_CONFIG first: an invalid file stops start-up before anything is opened.
  const oncallConfig = await loadOncallConfigFor(config, logger);
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

  const connection = slackConnection(config, overrides);
  const slackClient = createSlackWebClient({
    botToken: connection.botToken,
    apiUrl: connection.apiUrl,
    logger,
    fetch: meteredSlackFetch(metrics),
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
    client: slackClient,
    channel: config.slack.alertChannel,
    load: (id) => incidentService().get(id),
    attach: (id, message, rendered) => incidentService().attachMessage(id, message, rendered),
    shown: (id, version) => incidentService().markShown(id, version),
    // One message per incident across processes (two servers, Lambda containers) and crashes: durable claims.
    postClaims: {
      claim: (id, leaseSeconds) => store.dedup.claim(`slack-post:${id}`, leaseSeconds),
      release: (id) => store.dedup.release(`slack-post:${id}`),
      firstAttempt: (id) => store.dedup.claim(`slack-post-attempt:${id}`, POST_ATTEMPT_MEMORY_SECONDS),
    },
    // Storm digests: one message per channel-minute across processes and crashes, the same way.
    digests: {
      load: (id) => store.digests.get(id),
      attach: (id, message, rendered) => store.digests.attach(id, message, rendered),
      shown: (id, version) => store.digests.markShown(id, version),
      postClaims: {
        claim: (id, leaseSeconds) => store.dedup.claim(`slack-digest-post:${id}`, leaseSeconds),
        release: (id) => store.dedup.release(`slack-digest-post:${id}`),
        firstAttempt: (id) => store.dedup.claim(`slack-digest-attempt:${id}`, POST_ATTEMPT_MEMORY_SECONDS),
      },
    },
    logger: logger.child({ component: 'slack-publisher' }),
    metrics,
    ...overrides.slackPacing,
  });
  const incidents = meterIncidents(
    createIncidentService({
      incidents: incidentStoreOf(store.incidents),
      publisher,
      clock,
      logger,
      reopenWindowMs: config.reopenWindowMinutes * 60_000,
      // A Lambda serves one request at a time and freezes after answering: write every repeat before answering.
      ...(overrides.runtime === 'lambda' ? { foldFlushIntervalMs: 0 } : {}),
      digests: createIncidentDigests({
        store: store.digests,
        publisher,
        channel: config.slack.alertChannel,
        digestAfter: config.slack.digestAfter,
        clock,
        logger: logger.child({ component: 'digests' }),
      }),
    }),
    metrics,
  );
  late.incidents = incidents;
  const jobs = meterJobs(
    createJobService({
      reports: store.jobReports as JobReportsRepository<StoredJobReport>,
      schedules: store.jobSchedules as JobSchedulesRepository<JobScheduleState>,
      dedup: store.dedup,
      incidents,
      findOpenIncident: (fingerprint) => store.incidents.findOpenByFingerprint(fingerprint),
      clock,
      logger: logger.child({ component: 'jobs' }),
      historyTtlDays: config.historyTtlDays,
    }),
    metrics,
  );
  const scheduler = createScheduler({
    intervalMs: config.jobTickSeconds * 1000,
    tasks: [{ name: 'jobs.missed-runs', run: (now) => jobs.tick(now) }],
    clock,
    logger: logger.child({ component: 'scheduler' }),
  });
  // Slow work after the ack: services register named handlers; `defer` runs them in the background here,
  // or, with WORKER_FUNCTION_NAME (on Lambda), invokes the worker function, which runs them (src/lambda.ts).
  const deferredHandlers: DeferredHandlers = {};
  const lambdaDefer =
    config.workerFunctionName === undefined
      ? undefined
      : createLambdaDefer({ functionName: config.workerFunctionName, region: config.awsRegion, logger });
  const defer = lambdaDefer ?? createInProcessDefer(() => deferredHandlers, logger);
  const oncall = createOncallService({ responders: store.responders, groupId: config.respondersGroupId });
  // On-call schedules (issue 18): ONCALL_CONFIG (an invalid file stops start-up), overrides, swaps, handoffs.
  const { routes: oncallRoutes, ...schedules } = buildOncall(config, {
    oncallConfig,
    store,
    client: slackClient,
    oncall,
    clock,
    logger,
  });
  scheduler.add({ name: 'oncall.handoffs', run: (now) => schedules.handoffs.tick(now) });
  // To Bedrock Agent, Reporting and Chatwork notices: the outside systems the configuration names.
  const outside = buildIntegrations(config, logger, overrides.integrations);
  const thread = createSlackThread({
    client: slackClient,
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
    callHistory: meterCallHistory(store.callHistory as CallHistoryRepository<CallRecord>, metrics),
    caller: phone.caller === undefined ? undefined : meterCaller(phone.caller, metrics),
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
    ? createIncidentNotices({ incidents, notifier: outside.notifier, defer, clock, claims: store.dedup })
    : undefined;
  Object.assign(deferredHandlers, analysis.handlers, reports.handlers, notices?.handlers);
  const tasks = buildTaskPipeline(config, {
    store,
    client: slackClient,
    clock,
    logger,
    fallbackToMemory: overrides.taskQueueFallback === true,
    ...(overrides.taskQueue ? { tuning: overrides.taskQueue } : {}),
    metrics,
  });
  const services: Services = {
    tasks: tasks.service,
    incidents,
    digests: createDigestListService({ digests: store.digests, incidents }),
    publisher,
    oncall,
    analysis,
    reports,
    notifier: outside.notifier,
    defer,
    deferredHandlers,
    jobs,
    escalation,
    ...schedules,
  };

  const sns = createSnsEndpointClient({ ...overrides.sns, logger: logger.child({ component: 'sns' }) });
  // Development credentials for unset route secrets and an open /metrics: local mode with the emulator only.
  const localConveniences = usesLocalEmulator(config);
  const ingress = createRouter(
    [
      ...healthRoutes({
        // Real time, not the app's clock: the answer is cached for load balancers' probes (services/health.ts).
        check: createHealthCheck({ probe: () => store.probe(), clock: systemClock, logger }),
      }),
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
        awsRegion: config.awsRegion,
        allowLocalDefaults: localConveniences,
      }),
      ...jobRoutes({
        jobs,
        secret: createSharedSecret({
          variable: 'JOB_REPORT_SECRET',
          value: config.jobReportSecret,
          localDefault: LOCAL_DEV_SECRET,
          allowLocalDefault: localConveniences,
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
          allowLocalDefault: localConveniences,
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
        allowLocalDefaults: localConveniences,
        clock,
        logger,
      }),
      ...oncallRoutes(),
      ...metricsRoutes({
        render: () => metrics.render(),
        contentType: PROMETHEUS_CONTENT_TYPE,
        token: config.metricsToken,
        openWhenUnset: localConveniences,
        logger,
      }),
    ],
    { logger, metrics },
  );

  let taskConsumer: TaskConsumer | undefined;
  return {
    config,
    logger,
    clock,
    store,
    services,
    ...(phone.local ? { localPhone: phone.local } : {}),
    slackClient,
    metrics,
    ingress,
    scheduler,
    tasks,
    async settle() {
      // In dependency order: a deferred job or a phone step may touch an incident, post to Slack or send a
      // notice; buffered repeats are written before their message's last edit.
      await defer.drain();
      await escalation.drain();
      await incidents.flush();
      await publisher.flush();
      await outside.flush();
    },
    async start() {
      scheduler.start();
      // `npm start` consumes tasks in-process; `npm run consumer` and the Lambda `tasks` handler do it elsewhere.
      if (overrides.runtime !== 'lambda') taskConsumer ??= await tasks.consume();
      // Messages never posted, or left behind their incident: a crash, a Slack outage, a bounded shutdown.
      const left = await incidents.resync();
      if (left.posts + left.edits + left.digests > 0)
        logger.info(left, 'finishing the Slack posts and edits left last time');
    },
    async stop(options = {}) {
      const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
      // No new signals (tasks, timed checks), then every accepted one durable before anything slow.
      await until(deadline, taskConsumer?.stop());
      taskConsumer = undefined;
      await until(deadline, tasks.queue.close());
      await until(deadline, scheduler.stop());
      await incidents.flush();
      escalation.close();
      await until(deadline, escalation.drain());
      phone.close();
      await until(deadline, defer.drain());
      notices?.stop();
      await until(deadline, outside.close());
      // Repeats the drains folded; buffered repeats are written before their messages' last edit.
      await incidents.flush();
      const left = await publisher.close(deadline);
      const count = left.posts + left.edits + left.replies;
      if (count > 0) {
        logger.warn(
          { left: count, ...left },
          'stopped with Slack work left: the next start posts and edits it (thread replies left are dropped)',
        );
      } else logger.info({ left: 0 }, 'stopped with no Slack work left');
      lambdaDefer?.close();
      if (ownsStore) await store.close();
    },
  };
}

/** `buildCore` plus Bolt: the receiver for the runtime, the Events API retry guard and every listener. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<HikeshiApp> {
  const core = await buildCore(config, overrides);
  const { runtime, apiUrl } = slackRuntime(slackConnection(config, overrides), overrides);
  const slack = createBoltApp({
    runtime,
    httpGuard: slackHttpFrontDoor,
    apiUrl,
    logger: core.logger,
    fetch: meteredSlackFetch(core.metrics),
    ...(overrides.slackRetryConfig ? { retryConfig: overrides.slackRetryConfig } : {}),
  });
  slack.app.use(createSlackRetryGuard({ dedup: core.store.dedup, logger: core.logger }));
  registerListeners(slack.app, { services: core.services, logger: core.logger, clock: core.clock });

  let started = false;
  return {
    ...core,
    bolt: slack.app,
    slack,
    async start() {
      await core.start();
      if (runtime.kind === 'socket') {
        await slack.app.start();
        started = true;
      }
    },
    async stop(options) {
      // Stop taking Slack events first, then drain the core.
      if (started) await until(options?.deadline ?? Number.POSITIVE_INFINITY, slack.app.stop());
      started = false;
      await core.stop(options);
    },
  };
}
