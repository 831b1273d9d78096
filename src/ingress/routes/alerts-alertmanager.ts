/**
 * `POST /api/alerts/alertmanager`: Prometheus Alertmanager's `webhook_config`
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). Alertmanager authenticates with
 * `http_config.authorization` (type Bearer), checked against ALERTS_API_TOKEN: it is one more monitoring
 * sender, trusted like the generic one, and one token is one less thing to rotate.
 *
 * Each alert of the group is ingested on its own (one incident per label set; `resolved` resolves it), in
 * order, and the answer lists what happened to each. A failure answers 5xx, so Alertmanager retries the whole
 * group; the alerts already ingested then fold into their incidents rather than duplicating them.
 */
import { parseAlertmanagerWebhook } from '../../domain/sources/alertmanager.js';
import type { Logger } from '../../logger.js';
import type { IncidentService } from '../../services/incidents.js';
import { requireBearer, type SharedSecret } from '../auth.js';
import { invalidField, jsonBody } from '../json-body.js';
import { json, type Route } from '../types.js';
import { ingestResult, type AlertResult } from './alert-results.js';

export interface AlertmanagerRouteDeps {
  incidents: IncidentService;
  /** ALERTS_API_TOKEN. */
  token: SharedSecret;
  logger: Logger;
}

export function alertmanagerRoutes(deps: AlertmanagerRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/alerts/alertmanager',
      handler: async (request) => {
        requireBearer(request, deps.token);
        const parsed = parseAlertmanagerWebhook(jsonBody(request));
        if (!parsed.ok) throw invalidField(parsed);
        if (parsed.truncatedAlerts > 0) {
          // Alertmanager dropped alerts beyond the receiver's max_alerts; say so rather than lose them quietly.
          deps.logger.warn(
            { receiver: parsed.receiver, truncatedAlerts: parsed.truncatedAlerts },
            'Alertmanager truncated this notification; raise max_alerts to see every alert',
          );
        }
        const results: (AlertResult & { dedup_key: string | null })[] = [];
        for (const signal of parsed.signals) {
          // Routes may match the receiver (`label:receiver`, issue 19); it is not stored beyond the source.
          const outcome = await deps.incidents.ingest({
            ...signal,
            routingLabels: { ...signal.routingLabels, receiver: parsed.receiver },
          });
          results.push({ dedup_key: signal.dedupKey ?? null, ...ingestResult(outcome) });
        }
        return json(202, {
          receiver: parsed.receiver,
          truncated_alerts: parsed.truncatedAlerts,
          results,
        });
      },
    },
  ];
}
