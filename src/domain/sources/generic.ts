/**
 * The generic alert body, `POST /api/alerts`:
 * `{ title, message?, severity?, source?, dedup_key?, details?: object, links?: [{title, url}],
 *    status?: 'triggered' | 'acknowledged' | 'resolved' }` (or PagerDuty's `event_action`: trigger, acknowledge,
 * resolve, read as in Events v2, src/domain/sources/event-actions.ts).
 *
 * - `severity` left out: the incident opens as `error` (DEFAULT_SEVERITY), and a repeat keeps what the incident
 *   has. A default never applies to a repeat.
 * - An acknowledge or resolve finds its incident by `dedup_key`, or by `source` and `title` like a trigger; it
 *   changes nothing else (severity, title, message and details are not read).
 *
 * Choices beyond the issue text, all lenient where leniency cannot hide a mistake:
 * - `null` on an optional field means "absent" (many senders serialise None/nil that way).
 * - Unknown top-level keys are ignored, so senders can add fields without breaking.
 * - `source` and `dedup_key` are capped at 255 characters, PagerDuty's `dedup_key` limit, because both end up in
 *   the fingerprint and in storage keys.
 * - A link's `title` may be left out; the URL is shown instead.
 */
import * as z from '../zod.js';
import { SEVERITIES, type AlertAction, type AlertLink, type AlertSignal } from '../alert.js';
import { ACTION_OF_STATUS, alertStatusSchema, eventActionSchema, updateSignal } from './event-actions.js';
import { failure, firstIssue, type ParseFailure } from './parse-result.js';

export const TITLE_MAX = 500;
export const KEY_MAX = 255;

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A trimmed, non-empty string of at most `max` characters, with the reasons our 400s give. */
export const requiredText = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `must be at most ${max} characters`),
    );

const optional = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.nullish(schema),
    z.transform((v: z.output<T> | null | undefined) => v ?? undefined),
  );

const linkSchema = z.object({
  title: optional(z.string().check(z.trim())),
  url: httpUrl,
});

export const genericAlertSchema = z.object({
  // Required to trigger; an acknowledge or resolve may name its incident by dedup_key instead.
  title: optional(requiredText(TITLE_MAX)),
  message: optional(z.string()),
  severity: optional(z.enum(SEVERITIES)),
  source: optional(z.string().check(z.trim(), z.maxLength(KEY_MAX, `must be at most ${KEY_MAX} characters`))),
  dedup_key: optional(
    z.string().check(z.trim(), z.maxLength(KEY_MAX, `must be at most ${KEY_MAX} characters`)),
  ),
  details: optional(z.record(z.string(), z.unknown())),
  links: optional(z.array(linkSchema)),
  status: optional(alertStatusSchema),
  event_action: optional(eventActionSchema),
});

export type GenericAlertBody = z.input<typeof genericAlertSchema>;

export type GenericAlertResult = { ok: true; signal: AlertSignal } | ParseFailure;

export function parseGenericAlert(json: unknown): GenericAlertResult {
  const parsed = genericAlertSchema.safeParse(json);
  if (!parsed.success) return firstIssue(parsed.error);
  const body = parsed.data;
  const links: AlertLink[] = (body.links ?? []).map((link) => ({
    title: link.title !== undefined && link.title !== '' ? link.title : link.url,
    url: link.url,
  }));
  const byStatus = body.status === undefined ? undefined : ACTION_OF_STATUS[body.status];
  if (byStatus !== undefined && body.event_action !== undefined && byStatus !== body.event_action) {
    return failure('event_action', `"${body.event_action}" contradicts status "${body.status}"`);
  }
  const action: AlertAction = byStatus ?? body.event_action ?? 'trigger';
  const dedupKey = body.dedup_key !== undefined && body.dedup_key !== '' ? body.dedup_key : undefined;
  const source = body.source !== undefined && body.source !== '' ? body.source : undefined;
  if (action !== 'trigger') {
    if (dedupKey === undefined && body.title === undefined) {
      return failure('dedup_key', `is required to ${action} (or the title the alert was sent with)`);
    }
    return {
      ok: true,
      signal: updateSignal({ action, title: body.title ?? dedupKey ?? '', dedupKey, source, links }),
    };
  }
  if (body.title === undefined) return failure('title', 'is required');
  const signal: AlertSignal = {
    action,
    title: body.title,
    links,
    ...(body.severity !== undefined ? { severity: body.severity } : {}),
    ...(body.message !== undefined && body.message !== '' ? { message: body.message } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(dedupKey !== undefined ? { dedupKey } : {}),
    ...(body.details !== undefined ? { details: body.details } : {}),
  };
  return { ok: true, signal };
}
