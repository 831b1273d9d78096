/**
 * Every HTTP route of the ingress (health, reports, alerts, job reports, Connect callbacks, webhooks, on-call
 * feeds, metrics) with the credentials each one checks. Local conveniences (development credentials for unset
 * route secrets, an open /metrics) exist only with the local emulator.
 */
import type { AppOverrides } from './app-types.js';
import type { TaskPipeline } from './app-tasks.js';
import { usesLocalEmulator, type Config } from './config/index.js';
import { systemClock, type Clock } from './domain/clock.js';
import { createSharedSecret, LOCAL_DEV_SECRET, LOCAL_DEV_TOKEN, type SharedSecret } from './ingress/auth.js';
import { createRouter, type IngressHandler } from './ingress/router.js';
import type { Route } from './ingress/types.js';
import { alertRoutes } from './ingress/routes/alerts.js';
import { connectRoutes } from './ingress/routes/connect.js';
import { healthRoutes } from './ingress/routes/health.js';
import { jobRoutes } from './ingress/routes/jobs.js';
import { metricsRoutes } from './ingress/routes/metrics.js';
import { reportRoutes } from './ingress/routes/reports.js';
import { webhookRoutes } from './ingress/routes/webhooks.js';
import type { Integrations } from './integrations/index.js';
import { readLocalReport } from './integrations/local-report.js';
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from './integrations/prometheus-metrics.js';
import { createSnsEndpointClient } from './integrations/sns-endpoint.js';
import type { Logger } from './logger.js';
import type { EscalationService } from './services/escalation.js';
import { createHealthCheck } from './services/health.js';
import type { IncidentService } from './services/incidents.js';
import type { JobService } from './services/jobs.js';
import type { Store } from './store/index.js';

export function buildRoutes(
  config: Config,
  deps: {
    store: Store;
    outside: Pick<Integrations, 'reportsDir'>;
    incidents: IncidentService;
    jobs: JobService;
    escalation: EscalationService;
    tasks: TaskPipeline;
    oncallRoutes: (alertsToken: SharedSecret) => Route[];
    /** `/api/silences` (issue 20, app-silences.ts). */
    silenceRoutes: (alertsToken: SharedSecret) => Route[];
    metrics: MetricsRegistry;
    clock: Clock;
    logger: Logger;
    sns: AppOverrides['sns'];
    /** A cluster's HTTP worker: `/metrics` shows the whole cluster, added up by the primary. */
    renderMetrics?: () => Promise<string>;
  },
): IngressHandler {
  const {
    store,
    outside,
    incidents,
    jobs,
    escalation,
    tasks,
    oncallRoutes,
    silenceRoutes,
    metrics,
    logger,
    clock,
  } = deps;
  const sns = createSnsEndpointClient({ ...deps.sns, logger: logger.child({ component: 'sns' }) });
  // Development credentials for unset route secrets and an open /metrics: local mode with the emulator only.
  const localConveniences = usesLocalEmulator(config);
  // ALERTS_API_TOKEN guards every /api route (alerts, silences, on-call): one secret, one notice when local.
  const alertsToken = createSharedSecret({
    variable: 'ALERTS_API_TOKEN',
    value: config.alertsApiToken,
    localDefault: LOCAL_DEV_TOKEN,
    allowLocalDefault: localConveniences,
    credentialName: 'bearer token',
    logger: logger.child({ component: 'alerts-ingress' }),
  });
  return createRouter(
    [
      ...healthRoutes({
        // Real time, not the app's clock: the answer is cached for load balancers' probes (services/health.ts).
        check: createHealthCheck({ probe: () => store.probe(), clock: systemClock, logger }),
      }),
      ...reportRoutes({ read: (file) => readLocalReport(outside.reportsDir, file) }),
      ...alertRoutes({
        token: alertsToken,
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
      ...oncallRoutes(alertsToken),
      ...silenceRoutes(alertsToken),
      ...metricsRoutes({
        render: deps.renderMetrics ?? (() => metrics.render()),
        contentType: PROMETHEUS_CONTENT_TYPE,
        token: config.metricsToken,
        openWhenUnset: localConveniences,
        logger,
      }),
    ],
    { logger, metrics },
  );
}
