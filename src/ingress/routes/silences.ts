/**
 * Silences over HTTP (issue 20), Alertmanager's shape in Hikeshi's snake_case, all behind Bearer
 * ALERTS_API_TOKEN (checked in constant time before the body is read):
 * - `POST /api/silences` `{"matchers":["label:service=\"payments\""],"starts_at"?,"ends_at","comment","created_by"?}`
 *   → 201 `{"id"}`; bad matchers, an end before the start or in the past, or more than 30 days → 400 naming the
 *   field (`matchers.0`, `ends_at`, …), and nothing is stored;
 * - `GET /api/silences` → 200 `{"silences":[…]}`: in force first, then to come, then ended (kept 7 days);
 * - `DELETE /api/silences/<id>` → 200 `{"id","status":"expired","summarised":n}`: ended now, and what it held that
 *   is still firing is listed in one Slack message; again on an ended one: 200 as well (nothing more happens).
 */
import type { Clock } from '../../domain/clock.js';
import { parseSilenceBody } from '../../domain/silence-input.js';
import { stateOf, type Silence } from '../../domain/silence.js';
import { AppError, ErrorCode } from '../../errors.js';
import type { SilenceService } from '../../services/silences.js';
import { requireBearer, type SharedSecret } from '../auth.js';
import { invalidField, jsonBody } from '../json-body.js';
import { json, type Route } from '../types.js';

export interface SilenceRoutesDeps {
  silences: SilenceService;
  /** ALERTS_API_TOKEN. */
  token: SharedSecret;
  clock: Clock;
}

const SILENCE_ID = /^sil-[0-9a-f]{8}$/;

function silenceJson(silence: Silence, now: number): Record<string, unknown> {
  return {
    id: silence.id,
    status: stateOf(silence, now),
    matchers: silence.matchers,
    ...(silence.fingerprint === undefined ? {} : { fingerprint: silence.fingerprint }),
    ...(silence.incidentId === undefined ? {} : { incident_id: silence.incidentId }),
    starts_at: silence.startsAt,
    ends_at: silence.endsAt,
    comment: silence.comment,
    created_by: silence.createdBy,
    created_at: silence.createdAt,
    ...(silence.expiredAt === undefined
      ? {}
      : { expired_at: silence.expiredAt, expired_by: silence.expiredBy }),
  };
}

export function silenceRoutes(deps: SilenceRoutesDeps): Route[] {
  const { silences, token, clock } = deps;
  return [
    {
      method: 'POST',
      path: '/api/silences',
      handler: async (request) => {
        requireBearer(request, token);
        const parsed = parseSilenceBody(jsonBody(request), clock.now());
        if (!parsed.ok) throw invalidField(parsed);
        const silence = await silences.create(parsed.draft, parsed.createdBy ?? 'api');
        return json(201, { id: silence.id });
      },
    },
    {
      method: 'GET',
      path: '/api/silences',
      handler: async (request) => {
        requireBearer(request, token);
        const now = clock.now();
        return json(200, { silences: (await silences.list()).map((s) => silenceJson(s, now)) });
      },
    },
    {
      method: 'DELETE',
      path: '/api/silences/:id',
      handler: async (request) => {
        requireBearer(request, token);
        const id = request.params['id'] ?? '';
        const notFound = new AppError(ErrorCode.NotFound, `no silence ${id}`, {
          userMessage: 'no such silence',
        });
        if (!SILENCE_ID.test(id)) throw notFound;
        const outcome = await silences.expire(id, 'api');
        if (!outcome.ok && outcome.reason === 'not_found') throw notFound;
        const summarised = outcome.ok ? outcome.summarised : 0;
        return json(200, { id, status: 'expired', summarised });
      },
    },
  ];
}
