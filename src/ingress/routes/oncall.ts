/**
 * On-call over HTTP (issue 18):
 * - `GET /api/oncall?at=<ISO 8601>&next=<n>` (Bearer ALERTS_API_TOKEN): who is on call for every schedule at
 *   that instant (default now), from when until when, and the next shifts; then the flat responders list;
 * - `GET /api/schedules/<id>.ics?token=…`: the schedule's shifts as an iCalendar feed (30 days back, 90 ahead);
 *   the token is the schedule's own (services/schedule-feeds.ts), since calendar apps cannot send a header;
 * - `POST /-/reload` (Bearer ALERTS_API_TOKEN): reads ONCALL_CONFIG again, as SIGHUP does (Alertmanager's
 *   path). An invalid file changes nothing: 422 with every problem, and the previous configuration stays.
 * Credentials first, in constant time; then the query, validated by zod, a 400 naming the parameter.
 */
import type { ShiftView } from '../../domain/schedules/on-call.js';
import { parseIsoInstant } from '../../domain/schedules/wall-clock.js';
import * as z from '../../domain/zod.js';
import type { Clock } from '../../domain/clock.js';
import { AppError, ErrorCode } from '../../errors.js';
import type { OncallConfigSource } from '../../services/oncall-config.js';
import type { ScheduleFeeds } from '../../services/schedule-feeds.js';
import type { ScheduleService } from '../../services/schedules.js';
import { requireBearer, unauthorized, type SharedSecret } from '../auth.js';
import { invalidField } from '../json-body.js';
import { json, type IngressRequest, type Route } from '../types.js';

export interface OncallRoutesDeps {
  schedules: ScheduleService;
  /** The flat list of RESPONDERS_GROUP_ID, in priority order. */
  responders: () => Promise<{ group: string; users: string[] }>;
  config: OncallConfigSource;
  feeds: ScheduleFeeds;
  /** ALERTS_API_TOKEN. */
  token: SharedSecret;
  clock: Clock;
}

const DAY_MS = 86_400_000;

/**
 * The iCal writer (ical-generator, about 36 KB), loaded by the first feed request: the Lambda `ingress` function
 * serves every route, and a cold start compiles only what its entry imports statically (scripts/build-lambda.ts).
 */
const icalRenderer = () => import('../../domain/schedules/ical.js');
export const FEED_PAST_DAYS = 30;
export const FEED_FUTURE_DAYS = 90;
export const NEXT_MAX = 20;

const instant = z.string().check(
  z.refine((text) => parseIsoInstant(text) !== undefined, {
    message:
      'expected an ISO 8601 date-time with an offset, e.g. 2027-03-10T10:00+01:00 or 2027-03-10T09:00:00Z',
  }),
);
const oncallQuery = z.strictObject({
  at: z.optional(instant),
  next: z.optional(
    z.string().check(
      z.refine((text) => /^\d{1,2}$/.test(text) && Number(text) <= NEXT_MAX, {
        message: `expected a whole number from 0 to ${NEXT_MAX}`,
      }),
    ),
  ),
});
const feedQuery = z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)) });

/** The query as an object, each parameter given once; a 400 naming the first bad one. */
function query<T>(request: IngressRequest, schema: z.ZodMiniType<T>): T {
  const values: Record<string, string> = {};
  for (const [name, value] of request.query) {
    if (name in values) throw invalidField({ field: name, reason: 'given more than once' });
    values[name] = value;
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field =
    issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'query') : String(issue?.path[0] ?? 'query');
  const reason = issue?.code === 'unrecognized_keys' ? 'unknown parameter' : (issue?.message ?? 'invalid');
  throw invalidField({ field, reason });
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const shiftJson = (s: ShiftView) => ({ user: s.user, from: iso(s.from), until: iso(s.until) });

export function oncallRoutes(deps: OncallRoutesDeps): Route[] {
  const { schedules, clock } = deps;
  return [
    {
      method: 'GET',
      path: '/api/oncall',
      handler: async (request) => {
        requireBearer(request, deps.token);
        const q = query(request, oncallQuery);
        const at = q.at === undefined ? clock.now() : (parseIsoInstant(q.at) as number);
        const [views, responders] = await Promise.all([
          schedules.views(at, q.next === undefined ? 2 : Number(q.next)),
          deps.responders(),
        ]);
        return json(200, {
          at: iso(at),
          schedules: views.map((v) => ({
            id: v.schedule.id,
            time_zone: v.schedule.timeZone,
            on_call: v.onCall.map(shiftJson),
            next: v.next.map(shiftJson),
          })),
          responders: { group: responders.group, on_call: responders.users },
        });
      },
    },
    {
      method: 'GET',
      path: '/api/schedules/:file',
      handler: async (request) => {
        const file = request.params['file'] ?? '';
        const id = /^([A-Za-z0-9_-]{1,64})\.ics$/.exec(file)?.[1];
        if (id === undefined) {
          throw new AppError(ErrorCode.NotFound, `no feed ${file}`, {
            userMessage: 'not found: feeds are /api/schedules/<schedule id>.ics',
          });
        }
        if (!deps.feeds.enabled) throw unauthorized('ALERTS_API_TOKEN is not configured');
        const { token } = query(request, feedQuery);
        // The token is checked before the schedule is looked up, so the answer says nothing about ids.
        if (!deps.feeds.verify(id, token)) throw unauthorized('invalid token');
        const schedule = schedules.schedule(id);
        if (schedule === undefined) {
          throw new AppError(ErrorCode.NotFound, `no schedule ${id}`, { userMessage: `no schedule ${id}` });
        }
        const now = clock.now();
        const shifts = await schedules.shifts(schedule, {
          from: now - FEED_PAST_DAYS * DAY_MS,
          until: now + FEED_FUTURE_DAYS * DAY_MS,
        });
        return {
          status: 200,
          headers: {
            'content-type': 'text/calendar; charset=utf-8',
            'content-disposition': `inline; filename="${id}.ics"`,
            'cache-control': 'private, max-age=300',
            'referrer-policy': 'no-referrer',
          },
          body: (await icalRenderer()).scheduleCalendar({ schedule, shifts, now }),
        };
      },
    },
    {
      method: 'POST',
      path: '/-/reload',
      handler: async (request) => {
        requireBearer(request, deps.token);
        const result = await deps.config.reload();
        if (!result.ok) {
          return json(422, {
            error: `ONCALL_CONFIG ${result.file} is invalid; the previous configuration stays in force`,
            code: ErrorCode.ConfigInvalid,
            problems: result.problems,
          });
        }
        return json(200, {
          status: 'reloaded',
          file: result.file ?? null,
          schedules: result.schedules,
          escalation_policies: result.escalationPolicies,
          routes: result.routes,
        });
      },
    },
  ];
}
