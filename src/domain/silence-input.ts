/**
 * What a new silence must satisfy, from `POST /api/silences` or from Slack, each failure naming its field (the 400
 * answer): `matchers` each valid (route-matchers.ts) and not all matching the empty string (that would silence
 * every alert; Alertmanager refuses it too); `starts_at` and `ends_at` ISO 8601 with an offset, the end after the
 * start and in the future, at most SILENCE_MAX_MS (30 days) apart; `comment` non-empty. Pure.
 */
import { SILENCE_COMMENT_MAX, SILENCE_MATCHERS_MAX, SILENCE_MAX_MS } from './silence.js';
import { parseMatcher, matches } from './route-matchers.js';
import { failure, firstIssue, type ParseFailure } from './sources/parse-result.js';
import * as z from './zod.js';

/** A silence as asked for, checked: what the service stores with an id, who made it and when. */
export interface SilenceDraft {
  matchers: string[];
  fingerprint?: string;
  incidentId?: string;
  startsAt: string;
  endsAt: string;
  comment: string;
}

export type SilenceDraftResult = { ok: true; draft: SilenceDraft; createdBy?: string } | ParseFailure;

const bodySchema = z.strictObject({
  matchers: z
    .array(z.string().check(z.maxLength(1000, 'must be at most 1000 characters')))
    .check(
      z.minLength(1, 'must name at least one matcher, e.g. label:service="payments"'),
      z.maxLength(SILENCE_MATCHERS_MAX, `must have at most ${SILENCE_MATCHERS_MAX} matchers`),
    ),
  starts_at: z.optional(z.string()),
  ends_at: z.string(),
  comment: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty: say why'),
      z.maxLength(SILENCE_COMMENT_MAX, `must be at most ${SILENCE_COMMENT_MAX} characters`),
    ),
  created_by: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'must not be empty'),
        z.maxLength(100, 'must be at most 100 characters'),
      ),
  ),
});

/**
 * An ISO 8601 date-time with `Z` or an offset (seconds optional) → epoch ms. Not schedules/wall-clock.ts's
 * reader: that one brings the Temporal polyfill, which the functions that only match silences do without.
 */
export function parseInstant(text: string): number | undefined {
  const shape =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i.exec(
      text,
    );
  if (shape === null) return undefined;
  const [, y, mo, d, h, mi, s = '0', oh = '0', om = '0'] = shape.map((part) => part ?? '0');
  // Date.parse rolls 2027-02-30 over into March: every part must be in its range.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(oh) > 23 || Number(om) > 59)
    return undefined;
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}

const INSTANT_HELP = 'expected an ISO 8601 date-time with an offset, e.g. 2027-03-10T09:00:00Z';

/** The matchers, each valid, not all matching everything; `matchers` or `matchers.<i>` on failure. */
export function checkMatchers(texts: readonly string[]): { ok: true; matchers: string[] } | ParseFailure {
  const kept: string[] = [];
  let matchesEverything = true;
  for (const [i, text] of texts.entries()) {
    const parsed = parseMatcher(text);
    if (!parsed.ok) return failure(`matchers.${i}`, parsed.reason);
    kept.push(parsed.matcher.text);
    if (!matches(parsed.matcher, {})) matchesEverything = false;
  }
  if (kept.length === 0) return failure('matchers', 'must name at least one matcher');
  if (matchesEverything) {
    return failure('matchers', 'would match every alert: at least one matcher must not match an empty value');
  }
  return { ok: true, matchers: kept };
}

/** The start and end: `starts_at` (default `now`) before `ends_at`, the end in the future, at most 30 days on. */
export function checkWindow(
  startsAt: number,
  endsAt: number,
  now: number,
): { ok: true; startsAt: string; endsAt: string } | ParseFailure {
  if (endsAt <= startsAt) return failure('ends_at', 'must be after starts_at');
  if (endsAt <= now) return failure('ends_at', 'is in the past');
  if (endsAt - startsAt > SILENCE_MAX_MS) {
    return failure('ends_at', 'must be at most 30 days after starts_at');
  }
  return { ok: true, startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() };
}

/** `POST /api/silences`' body. */
export function parseSilenceBody(body: unknown, now: number): SilenceDraftResult {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return firstIssue(parsed.error);
  const { data } = parsed;
  const matchers = checkMatchers(data.matchers);
  if (!matchers.ok) return matchers;
  const start = data.starts_at === undefined ? now : parseInstant(data.starts_at);
  if (start === undefined) return failure('starts_at', INSTANT_HELP);
  const end = parseInstant(data.ends_at);
  if (end === undefined) return failure('ends_at', INSTANT_HELP);
  const window = checkWindow(start, end, now);
  if (!window.ok) return window;
  return {
    ok: true,
    draft: {
      matchers: matchers.matchers,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      comment: data.comment,
    },
    ...(data.created_by === undefined ? {} : { createdBy: data.created_by }),
  };
}

/** From Slack: starting now, for `durationMs`. */
export function silenceFromNow(input: {
  matchers?: readonly string[];
  fingerprint?: string;
  incidentId?: string;
  durationMs: number;
  comment: string;
  now: number;
}): SilenceDraftResult {
  const { now } = input;
  let matchers: string[] = [];
  if (input.fingerprint === undefined) {
    const checked = checkMatchers(input.matchers ?? []);
    if (!checked.ok) return checked;
    matchers = checked.matchers;
  }
  const window = checkWindow(now, now + input.durationMs, now);
  if (!window.ok) return window;
  const comment = input.comment.trim().slice(0, SILENCE_COMMENT_MAX);
  return {
    ok: true,
    draft: {
      matchers,
      ...(input.fingerprint === undefined ? {} : { fingerprint: input.fingerprint }),
      ...(input.incidentId === undefined ? {} : { incidentId: input.incidentId }),
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      comment,
    },
  };
}
