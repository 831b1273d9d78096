/**
 * The PagerDuty Events API v2 alert-event shape (`POST https://events.pagerduty.com/v2/enqueue`), so anything
 * with a PagerDuty integration can point at Hikeshi instead:
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 *
 * Validation follows PagerDuty: `trigger` needs `payload.summary`, `payload.source` and `payload.severity`;
 * `acknowledge` and `resolve` need `dedup_key`. `routing_key` is required here and is what the route checks as the
 * token. One deliberate difference: PagerDuty gives a trigger without `dedup_key` a fresh random key (never folds),
 * while Hikeshi folds it by its usual fingerprint (source + normalised summary) and answers with that key.
 */
import * as z from '../zod.js';
import { SEVERITIES, toIsoTimestamp, type AlertLink, type AlertSignal } from '../alert.js';
import { updateSignal } from './event-actions.js';
import { httpUrl, KEY_MAX, requiredText } from './generic.js';
import { failure, firstIssue, isPlainObject, type ParseFailure } from './parse-result.js';

/** PagerDuty's documented limit for `payload.summary`. */
export const SUMMARY_MAX = 1024;

const linkSchema = z.object({ href: httpUrl, text: z.optional(z.string()) });

const triggerPayloadSchema = z.object({
  summary: requiredText(SUMMARY_MAX),
  source: requiredText(KEY_MAX),
  severity: z.enum(SEVERITIES),
  timestamp: z.optional(z.string()),
  component: z.optional(z.string()),
  group: z.optional(z.string()),
  class: z.optional(z.string()),
  custom_details: z.optional(z.unknown()),
});

const common = {
  routing_key: z.string().check(z.trim(), z.minLength(1, 'must not be empty')),
  links: z.optional(z.array(linkSchema)),
  images: z.optional(z.array(z.unknown())),
  client: z.optional(z.string()),
  client_url: z.optional(z.string()),
};

const dedupKey = requiredText(KEY_MAX);

const triggerSchema = z.object({
  ...common,
  event_action: z.literal('trigger'),
  dedup_key: z.optional(dedupKey),
  payload: triggerPayloadSchema,
});

// For acknowledge/resolve PagerDuty ignores the payload; it is read only for a friendlier title when present.
const updateSchema = (action: 'acknowledge' | 'resolve') =>
  z.object({
    ...common,
    event_action: z.literal(action),
    dedup_key: dedupKey,
    payload: z.optional(z.record(z.string(), z.unknown())),
  });

export const eventsV2Schema = z.discriminatedUnion('event_action', [
  triggerSchema,
  updateSchema('acknowledge'),
  updateSchema('resolve'),
]);

export type EventsV2Event = z.input<typeof eventsV2Schema>;

export type EventsV2Result = { ok: true; routingKey: string; signal: AlertSignal } | ParseFailure;

export function parseEventsV2(json: unknown): EventsV2Result {
  // PagerDuty names routing_key first when it is missing, whatever else is wrong.
  if (isPlainObject(json) && json['routing_key'] === undefined) return failure('routing_key', 'is required');
  const parsed = eventsV2Schema.safeParse(json);
  if (!parsed.success) return firstIssue(parsed.error);
  const event = parsed.data;
  const links = eventLinks(event.links ?? [], event.client, event.client_url);

  if (event.event_action === 'trigger') {
    const payload = event.payload;
    const occurredAt = toIsoTimestamp(payload.timestamp);
    const details = {
      ...(payload.component !== undefined ? { component: payload.component } : {}),
      ...(payload.group !== undefined ? { group: payload.group } : {}),
      ...(payload.class !== undefined ? { class: payload.class } : {}),
      ...customDetails(payload.custom_details),
    };
    const signal: AlertSignal = {
      action: 'trigger',
      title: payload.summary,
      severity: payload.severity,
      source: payload.source,
      links,
      ...(event.dedup_key !== undefined ? { dedupKey: event.dedup_key } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
      ...(occurredAt !== undefined ? { occurredAt } : {}),
    };
    return { ok: true, routingKey: event.routing_key, signal };
  }

  // acknowledge / resolve: the incident is found by dedup_key; the title is a placeholder, and no severity.
  const payload = event.payload ?? {};
  const summary =
    typeof payload['summary'] === 'string' && payload['summary'] !== '' ? payload['summary'] : undefined;
  const source =
    typeof payload['source'] === 'string' && payload['source'] !== '' ? payload['source'] : undefined;
  const signal = updateSignal({
    action: event.event_action,
    title: summary ?? event.dedup_key,
    dedupKey: event.dedup_key,
    source,
    links,
  });
  return { ok: true, routingKey: event.routing_key, signal };
}

function customDetails(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (isPlainObject(value)) return value;
  return { custom_details: value };
}

function eventLinks(
  links: { href: string; text?: string | undefined }[],
  client: string | undefined,
  clientUrl: string | undefined,
): AlertLink[] {
  const out: AlertLink[] = links.map((link) => ({
    title: link.text !== undefined && link.text.trim() !== '' ? link.text : link.href,
    url: link.href,
  }));
  if (clientUrl !== undefined && httpUrl.safeParse(clientUrl).success) {
    out.push({ title: client !== undefined && client.trim() !== '' ? client : 'Monitoring', url: clientUrl });
  }
  return out;
}

/** PagerDuty's 202 body for an accepted event. */
export interface EventsV2Success {
  status: 'success';
  message: 'Event processed';
  dedup_key: string;
}

/** PagerDuty's 400 body for a rejected event. */
export interface EventsV2Invalid {
  status: 'invalid event';
  message: 'Event object is invalid';
  errors: string[];
}

export function eventsV2Success(dedupKey: string): EventsV2Success {
  return { status: 'success', message: 'Event processed', dedup_key: dedupKey };
}

export function eventsV2Invalid(failureOrErrors: ParseFailure | string[]): EventsV2Invalid {
  const errors = Array.isArray(failureOrErrors)
    ? failureOrErrors
    : [`'${failureOrErrors.field}' ${failureOrErrors.reason}`];
  return { status: 'invalid event', message: 'Event object is invalid', errors };
}
