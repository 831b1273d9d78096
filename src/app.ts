/**
 * The composition root: the only place that constructs clients and adapters (DESIGN.md). Importing this
 * module has no side effects; `buildApp` does the wiring and `start`/`stop` own the lifecycle.
 */
import type { App as BoltApp } from '@slack/bolt';
import type { Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { healthRoutes } from './ingress/routes/health.js';
import { alertRoutes } from './ingress/routes/alerts.js';
import { jobRoutes } from './ingress/routes/jobs.js';
import { createSharedSecret, LOCAL_DEV_SECRET } from './ingress/auth.js';
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
import type { IncidentWorkRequester } from './services/ports/incident-work.js';
import { createOncallService } from './services/oncall.js';
import { AppError, ErrorCode } from './errors.js';
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
  /** Slack pacing (defaults: one edit per second per message, one post per second per channel); tests shorten it. */
  slackPacing?: { minUpdateIntervalMs?: number; channelPostIntervalMs?: number };
  /** Tests only: the fetch and host rule the SNS endpoint uses to reach a local fake instead of AWS. */
  sns?: Pick<SnsEndpointOptions, 'fetch' | 'trust'>;
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
  // Placeholders until the analysis and report services are wired (issue 6).
  const notYet: IncidentWorkRequester = {
    request: async () => {
      throw new AppError(ErrorCode.Internal, 'not wired yet', {
        status: 400,
        userMessage: 'Not available yet.',
      });
    },
  };
  const services: Services = {
    store,
    incidents,
    publisher,
    oncall,
    analysis: notYet,
    reports: notYet,
    defer,
    deferredHandlers,
    jobs,
  };
  registerListeners(slack.app, { services, logger, clock });

  const sns = createSnsEndpointClient({ ...overrides.sns, logger: logger.child({ component: 'sns' }) });
  const ingress = createRouter(
    [
      ...healthRoutes(),
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
    ],
    { logger },
  );

  let started = false;
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
    async start() {
      scheduler.start();
      if (runtime.kind === 'socket') {
        await slack.app.start();
        started = true;
      }
    },
    async stop() {
      await scheduler.stop();
      await defer.drain();
      await publisher.flush();
      if (started) await slack.app.stop();
      started = false;
      if (ownsStore) await store.close();
    },
  };
}
