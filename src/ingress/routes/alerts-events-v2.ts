/**
 * `POST /api/alerts/events-v2` and `POST /v2/enqueue`: the PagerDuty Events API v2
 * (https://developer.pagerduty.com/docs/events-api-v2/overview/), so anything that can page PagerDuty can
 * point its integration URL at Hikeshi (`https://hikeshi.example.com/v2/enqueue`). Answers use PagerDuty's
 * shapes: 202 `{status:'success', message:'Event processed', dedup_key}`, 400
 * `{status:'invalid event', message, errors}`.
 *
 * The `routing_key` in the body is the credential: EVENTS_V2_ROUTING_KEY, or ALERTS_API_TOKEN when that is
 * unset. A dedicated key exists because some senders expect PagerDuty's 32-character integration keys, and
 * because a routing key sits in every event body, where senders log it more readily than a header. Being in
 * the body, it can only be checked after `JSON.parse`; it is compared (in constant time) before any other
 * field is validated.
 */
import { eventsV2Invalid, eventsV2Success, parseEventsV2 } from '../../domain/sources/events-v2.js';
import { isPlainObject } from '../../domain/sources/parse-result.js';
import { isAppError } from '../../errors.js';
import type { IncidentService } from '../../services/incidents.js';
import type { SharedSecret } from '../auth.js';
import { readJsonBody } from '../json-body.js';
import { json, type IngressRequest, type IngressResponse, type Route } from '../types.js';

export interface EventsV2RouteDeps {
  incidents: IncidentService;
  /** EVENTS_V2_ROUTING_KEY, falling back to ALERTS_API_TOKEN. */
  routingKey: SharedSecret;
}

export const EVENTS_V2_PATHS = ['/api/alerts/events-v2', '/v2/enqueue'] as const;

function unauthorized(message: string): IngressResponse {
  return json(401, { status: 'unauthorized', message, errors: [message] });
}

export function eventsV2Routes(deps: EventsV2RouteDeps): Route[] {
  const handler = async (request: IngressRequest): Promise<IngressResponse> => {
    const body = readJsonBody(request);
    if (!body.ok) return json(body.status, eventsV2Invalid([body.reason]));
    const presented = isPlainObject(body.value) ? body.value['routing_key'] : undefined;
    // A missing routing_key is a malformed event (PagerDuty answers 400); a wrong one is refused with 401.
    if (typeof presented === 'string' && presented.trim() !== '') {
      let accepted: boolean;
      try {
        accepted = deps.routingKey.matches(presented.trim());
      } catch (error) {
        if (isAppError(error)) return unauthorized(error.userMessage ?? error.message);
        throw error;
      }
      if (!accepted) return unauthorized('Invalid routing key');
    }
    const parsed = parseEventsV2(body.value);
    if (!parsed.ok) return json(400, eventsV2Invalid(parsed));
    // The routing_key may be matched by ONCALL_CONFIG routes (`label:routing_key`); it is never stored.
    const outcome = await deps.incidents.ingest({
      ...parsed.signal,
      routingLabels: { ...parsed.signal.routingLabels, routing_key: parsed.routingKey },
    });
    // Without a dedup_key PagerDuty makes one up and returns it; ours is the incident's fingerprint, which a
    // later acknowledge/resolve can send back as its dedup_key.
    const dedupKey =
      parsed.signal.dedupKey ?? (outcome.action === 'ignored' ? '' : outcome.incident.fingerprint);
    return json(202, eventsV2Success(dedupKey));
  };
  return EVENTS_V2_PATHS.map((path) => ({ method: 'POST', path, handler }));
}
