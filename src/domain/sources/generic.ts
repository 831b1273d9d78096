/**
 * The generic alert body, `POST /api/alerts`:
 * `{ title, message?, severity? = 'error', source?, dedup_key?, details?: object, links?: [{title, url}] }`.
 *
 * Choices beyond the issue text, all lenient where leniency cannot hide a mistake:
 * - `null` on an optional field means "absent" (many senders serialise None/nil that way).
 * - Unknown top-level keys are ignored, so senders can add fields without breaking.
 * - `source` and `dedup_key` are capped at 255 characters, PagerDuty's `dedup_key` limit, because both end up in
 *   the fingerprint and in storage keys.
 * - A link's `title` may be left out; the URL is shown instead.
 */
import * as z from '../zod.js';
import { SEVERITIES, type AlertLink, type AlertSignal } from '../alert.js';
import { firstIssue, type ParseFailure } from './parse-result.js';

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
  title: requiredText(TITLE_MAX),
  message: optional(z.string()),
  severity: z.pipe(
    optional(z.enum(SEVERITIES)),
    z.transform((v) => v ?? 'error'),
  ),
  source: optional(z.string().check(z.trim(), z.maxLength(KEY_MAX, `must be at most ${KEY_MAX} characters`))),
  dedup_key: optional(
    z.string().check(z.trim(), z.maxLength(KEY_MAX, `must be at most ${KEY_MAX} characters`)),
  ),
  details: optional(z.record(z.string(), z.unknown())),
  links: optional(z.array(linkSchema)),
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
  const signal: AlertSignal = {
    action: 'trigger',
    title: body.title,
    severity: body.severity,
    links,
    ...(body.message !== undefined && body.message !== '' ? { message: body.message } : {}),
    ...(body.source !== undefined && body.source !== '' ? { source: body.source } : {}),
    ...(body.dedup_key !== undefined && body.dedup_key !== '' ? { dedupKey: body.dedup_key } : {}),
    ...(body.details !== undefined ? { details: body.details } : {}),
  };
  return { ok: true, signal };
}
