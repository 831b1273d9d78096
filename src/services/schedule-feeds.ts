/**
 * iCalendar feed links (issue 18): `GET /api/schedules/<id>.ics?token=…`. A calendar app cannot send a header,
 * so the credential is in the URL: an unguessable per-schedule token, the HMAC-SHA256 of the schedule id under
 * a secret (ALERTS_API_TOKEN, which every deployment serving the API has), so nothing is stored and the link
 * stays the same across restarts and processes. Leaking one link shows that schedule's shifts, nothing else;
 * rotating ALERTS_API_TOKEN changes every link. Tokens are compared in constant time.
 * People find their links in `/oncall who <schedule>` and on the App Home (both only visible to them).
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';

export interface ScheduleFeeds {
  /** The feed's URL, or undefined when feeds are off (no secret). */
  url(schedule: string): string | undefined;
  /** True when `token` is the schedule's; false when feeds are off. */
  verify(schedule: string, token: string | undefined): boolean;
  readonly enabled: boolean;
}

/** Domain separation: the same secret may sign other things one day. */
const PURPOSE = 'hikeshi:schedule-feed:v1:';

export function createScheduleFeeds(options: {
  secret: string | undefined;
  publicUrl: string;
}): ScheduleFeeds {
  const secret = options.secret === '' ? undefined : options.secret;
  const base = options.publicUrl.replace(/\/+$/, '');
  const token = (schedule: string) =>
    createHmac('sha256', secret ?? '')
      .update(`${PURPOSE}${schedule}`)
      .digest('base64url');
  const digest = (value: string) => hash('sha256', value, 'buffer');
  return {
    enabled: secret !== undefined,
    url: (schedule) =>
      secret === undefined
        ? undefined
        : `${base}/api/schedules/${encodeURIComponent(schedule)}.ics?token=${token(schedule)}`,
    verify: (schedule, presented) =>
      secret !== undefined &&
      presented !== undefined &&
      timingSafeEqual(digest(presented), digest(token(schedule))),
  };
}
