/**
 * Every alert ingress route, built from the configuration's credentials (README, "Sending alerts"):
 * - `POST /api/alerts`: Hikeshi's JSON, `Authorization: Bearer <ALERTS_API_TOKEN>`;
 * - `POST /api/alerts/alertmanager`: Prometheus Alertmanager, the same bearer token;
 * - `POST /api/alerts/sns`: Amazon SNS (CloudWatch alarms), the SNS signature plus SNS_TOPIC_ARNS;
 * - `POST /api/alerts/events-v2` and `/v2/enqueue`: PagerDuty Events API v2, `routing_key` =
 *   EVENTS_V2_ROUTING_KEY (else ALERTS_API_TOKEN);
 * - `POST /api/alerts/cloudwatch-logs`: CloudWatch Logs subscription deliveries (Lambda error logs), the
 *   bearer token.
 * Each format is parsed by a pure parser in src/domain/sources and ingested by the incident service, which
 * folds repeats and resolves on resolve signals.
 */
import type { Clock } from '../../domain/clock.js';
import type { SnsEndpointClient } from '../../services/ports/sns-endpoint.js';
import type { Logger } from '../../logger.js';
import type { IncidentService } from '../../services/incidents.js';
import type { DeliveryClaims } from '../../services/ports/delivery-claims.js';
import { LOCAL_DEV_TOKEN, createSharedSecret, type RevealableSecret, type SharedSecret } from '../auth.js';
import type { Route } from '../types.js';
import { alertmanagerRoutes } from './alerts-alertmanager.js';
import { cloudWatchLogsRoutes } from './alerts-cloudwatch-logs.js';
import { eventsV2Routes } from './alerts-events-v2.js';
import { genericAlertRoutes } from './alerts-generic.js';
import { snsAlertRoutes } from './alerts-sns.js';

export interface AlertRoutesDeps {
  incidents: IncidentService;
  dedup: DeliveryClaims;
  sns: SnsEndpointClient;
  clock: Clock;
  logger: Logger;
  /** ALERTS_API_TOKEN, built once by the composition root and shared with the other `/api` routes. */
  token: SharedSecret;
  /** ALERTS_API_TOKEN's value: the Events v2 routing key falls back to it. */
  alertsApiToken: RevealableSecret | undefined;
  eventsV2RoutingKey: RevealableSecret | undefined;
  snsTopicArns: readonly string[] | undefined;
  /** AWS_REGION: where the log groups of CloudWatch Logs deliveries live (console links). */
  awsRegion: string;
  /** True in local emulator mode: unset credentials fall back to the documented local defaults. */
  allowLocalDefaults: boolean;
}

export function alertRoutes(deps: AlertRoutesDeps): Route[] {
  const logger = deps.logger.child({ component: 'alerts-ingress' });
  const { token } = deps;
  // Falls back to ALERTS_API_TOKEN, then (emulator mode only) to the same local default.
  const routingKey = createSharedSecret({
    variable: 'EVENTS_V2_ROUTING_KEY (or ALERTS_API_TOKEN)',
    value: deps.eventsV2RoutingKey ?? deps.alertsApiToken,
    localDefault: LOCAL_DEV_TOKEN,
    allowLocalDefault: deps.allowLocalDefaults,
    credentialName: 'routing_key',
    logger,
  });
  return [
    ...genericAlertRoutes({ incidents: deps.incidents, token }),
    ...alertmanagerRoutes({ incidents: deps.incidents, token, logger }),
    ...snsAlertRoutes({
      incidents: deps.incidents,
      dedup: deps.dedup,
      sns: deps.sns,
      topicArns: deps.snsTopicArns,
      allowLocalDefault: deps.allowLocalDefaults,
      clock: deps.clock,
      logger,
    }),
    ...eventsV2Routes({ incidents: deps.incidents, routingKey }),
    ...cloudWatchLogsRoutes({ incidents: deps.incidents, token, region: deps.awsRegion }),
  ];
}
