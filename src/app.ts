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
 * Each capability composes in its own module, which `buildCore` calls in dependency order: app-incidents.ts
 * (the Slack publisher and the incident service), app-jobs.ts (job monitoring and the scheduler), app-oncall.ts
 * (schedules), app-escalation.ts (the phone, the flat list's escalation and app-policies.ts's escalation
 * policies), app-silences.ts (silences), app-incident-work.ts (analysis, reports, notices), app-tasks.ts (webhook
 * tasks), app-routes.ts (every HTTP route); app-types.ts names what is built, app-slack.ts where Slack is.
 * Nothing else constructs clients: a new adapter goes into `buildCore` or its capability's module, a new Bolt
 * concern into `buildApp`.
 * Each Lambda bundle swaps the parts its function never runs (routes, job monitoring, analyses, …) for
 * stand-ins that fail when called (`without` in scripts/build-lambda.ts): a part a function starts to use
 * comes off that function's list.
 */
import { buildEscalation } from './app-escalation.js';
import { buildIncidents } from './app-incidents.js';
import { buildIncidentWork } from './app-incident-work.js';
import { buildJobs } from './app-jobs.js';
import { buildOncall, loadOncallConfigFor } from './app-oncall.js';
import { chainMarkersFor, routeFor } from './app-policies.js';
import { buildSilenceMatcher, buildSilences } from './app-silences.js';
import { buildRoutes } from './app-routes.js';
import { slackConnection, slackRuntime } from './app-slack.js';
import { buildTaskPipeline } from './app-tasks.js';
import type { AppOverrides, HikeshiApp, HikeshiCore } from './app-types.js';
import { secretValuesOf, type Config } from './config/index.js';
import { systemClock } from './domain/clock.js';
import { slackHttpFrontDoor } from './ingress/adapters/slack-http-guard.js';
import { buildIntegrations } from './integrations/index.js';
import { createLambdaDefer } from './integrations/lambda-defer.js';
import { createMetricsRegistry } from './integrations/prometheus-metrics.js';
import { createBoltApp } from './integrations/slack-bolt.js';
import { meteredSlackFetch } from './integrations/slack-metrics.js';
import { createSlackWebClient } from './integrations/slack-web-client.js';
import { registerListeners } from './listeners/index.js';
import { createSlackRetryGuard } from './listeners/slack-retries.js';
import { createLogger } from './logger.js';
import { createDigestListService } from './services/digest-list.js';
import { createInProcessDefer } from './services/in-process-defer.js';
import type { Services } from './services/index.js';
import { createOncallService } from './services/oncall.js';
import type { DeferredHandlers } from './services/ports/defer.js';
import type { TaskConsumer } from './services/ports/task-queue.js';
import { until } from './shutdown.js';
import { createStore } from './store/index.js';

export type { AppOverrides, HikeshiApp, HikeshiCore, SlackConnection } from './app-types.js';

export async function buildCore(config: Config, overrides: AppOverrides = {}): Promise<HikeshiCore> {
  const logger =
    overrides.logger ??
    createLogger({ level: config.logLevel, format: config.logFormat, secrets: secretValuesOf(config) });
  const clock = overrides.clock ?? systemClock;
  const metrics = createMetricsRegistry();
  // ONCALL_CONFIG first: an invalid file stops start-up before anything is opened.
  const oncallConfig = await loadOncallConfigFor(config, logger, overrides.cluster?.announceReload);
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
      ...(overrides.cluster?.storeExchange ? { remote: overrides.cluster.storeExchange } : {}),
    }));

  const connection = slackConnection(config, overrides);
  const slackClient = createSlackWebClient({
    botToken: connection.botToken,
    apiUrl: connection.apiUrl,
    logger,
    fetch: meteredSlackFetch(metrics),
    ...(overrides.slackRetryConfig ? { retryConfig: overrides.slackRetryConfig } : {}),
  });

  // Silences (issue 20): every trigger asks the matcher; the service is built once escalation exists.
  const silenceMatcher = buildSilenceMatcher({ store, clock, logger });
  const { publisher, incidents } = buildIncidents(config, {
    silences: silenceMatcher,
    store,
    slackClient,
    clock,
    logger,
    metrics,
    overrides,
    route: routeFor(oncallConfig),
    expectChain: chainMarkersFor(config, { oncallConfig, store, clock, logger }),
  });
  const { jobs, scheduler } = buildJobs(config, { store, incidents, clock, logger, metrics });
  // Slow work after the ack: services register named handlers; `defer` runs them in the background here,
  // or, with WORKER_FUNCTION_NAME (on Lambda), invokes the worker function, which runs them (src/lambda.ts).
  const deferredHandlers: DeferredHandlers = {};
  const lambdaDefer =
    config.workerFunctionName === undefined
      ? undefined
      : createLambdaDefer({ functionName: config.workerFunctionName, region: config.awsRegion, logger });
  const defer = lambdaDefer ?? createInProcessDefer(() => deferredHandlers, logger);
  const oncall = createOncallService({
    responders: store.responders,
    groupId: config.respondersGroupId,
    phoneRegion: config.defaultPhoneRegion,
  });
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
  // Phone escalation (issue 7): Amazon Connect, the local phone in emulator mode, or none.
  const { phone, escalation, policyEscalation, contacts } = buildEscalation(config, {
    store,
    incidents,
    oncall,
    notifier: outside.notifier,
    publisher,
    scheduler,
    oncallConfig,
    schedules: schedules.schedules,
    slackClient,
    clock,
    logger,
    metrics,
  });
  const silenceDeps = { store, matcher: silenceMatcher, client: slackClient, incidents, escalation };
  const silences = buildSilences(config, { ...silenceDeps, clock, logger });
  scheduler.add({ name: 'silences', run: (now) => silences.service.tick(now) });
  // To Bedrock Agent, Reporting and the Chatwork notices: slow work after the ack.
  const { analysis, reports, notices } = buildIncidentWork({
    outside,
    store,
    slackClient,
    incidents,
    escalation,
    defer,
    deferredHandlers,
    clock,
    logger,
  });
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
    silences: silences.service,
    contacts,
    policyEscalation,
    ...schedules,
  };

  const ingress = buildRoutes(config, {
    store,
    outside,
    incidents,
    jobs,
    escalation,
    tasks,
    oncallRoutes,
    silenceRoutes: (token) => silences.routes(token),
    metrics,
    clock,
    logger,
    sns: overrides.sns,
    ...(overrides.cluster?.renderMetrics ? { renderMetrics: overrides.cluster.renderMetrics } : {}),
  });

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
      await policyEscalation.drain();
      await incidents.flush();
      await publisher.flush();
      await outside.flush();
    },
    async start() {
      // A cluster's HTTP worker: the primary runs the background work, once for the deployment.
      if (overrides.cluster?.background === false) return;
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
      policyEscalation.close();
      await until(deadline, escalation.drain());
      await until(deadline, policyEscalation.drain());
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
      if (runtime.kind === 'socket' && overrides.cluster?.background !== false) {
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
