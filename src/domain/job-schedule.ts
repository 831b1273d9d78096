/**
 * Job schedules and lateness ("missed runs", as healthchecks.io and Cronitor users expect): a job may declare
 * that it runs every N seconds or on a cron expression in a time zone, plus a grace period. A job is late when
 * no report has arrived by its next expected run plus the grace. Jobs without a schedule are never late.
 * Pure: times are epoch milliseconds passed in.
 *
 * "Since" is the time Hikeshi *received* the job's last report (or, before any report, the time the schedule
 * was declared), not the job's own `finished_at`: senders' clocks drift, and lateness is judged by our clock.
 * For a cron schedule the next expected run is the first fire after that; the grace must cover the run's
 * duration, since a job reports when it finishes.
 */
import * as z from './zod.js';
import { isValidTimeZone, nextCronTime, parseCron } from './cron.js';
import { failure, firstIssue, ROOT_FIELD, type ParseFailure } from './sources/parse-result.js';

export type JobSchedule =
  | { kind: 'period'; periodSeconds: number; graceSeconds: number }
  | { kind: 'cron'; cron: string; tz: string; graceSeconds: number };

/** Shortest period accepted: the scheduler ticks about once a minute. */
export const MIN_PERIOD_SECONDS = 60;
/** Longest period or grace accepted: a year and a day. */
export const MAX_SCHEDULE_SECONDS = 366 * 86_400;
/** Grace when none is given: long enough for a slow run, short enough to matter. */
export const DEFAULT_GRACE_SECONDS = 300;

const seconds = (min: number) =>
  z
    .int({ error: 'must be a whole number of seconds' })
    .check(
      z.gte(min, `must be at least ${min}`),
      z.lte(MAX_SCHEDULE_SECONDS, `must be at most ${MAX_SCHEDULE_SECONDS}`),
    );

export const scheduleBodySchema = z.object({
  period_seconds: z.nullish(seconds(MIN_PERIOD_SECONDS)),
  cron: z.nullish(z.string({ error: 'must be a string' })),
  tz: z.nullish(z.string({ error: 'must be a string' })),
  grace_seconds: z.nullish(seconds(0)),
});

/** The body of `PUT /api/monitor/jobs/:job_key`: `{period_seconds | cron (+ tz), grace_seconds?}`. */
export type ScheduleBody = z.input<typeof scheduleBodySchema>;

export type ScheduleResult = { ok: true; schedule: JobSchedule } | ParseFailure;

/** Builds a cron schedule after checking the expression and the zone; shared by the API and `/jobs expect`. */
export function cronSchedule(cron: string, tz: string, graceSeconds: number): ScheduleResult {
  const parsed = parseCron(cron);
  if (!parsed.ok) return failure('cron', parsed.reason);
  if (!isValidTimeZone(tz))
    return failure('tz', `unknown time zone "${tz}" (use an IANA name, e.g. Asia/Tokyo)`);
  return { ok: true, schedule: { kind: 'cron', cron: parsed.cron.source, tz, graceSeconds } };
}

export function parseScheduleBody(json: unknown): ScheduleResult {
  const parsed = scheduleBodySchema.safeParse(json);
  if (!parsed.success) return firstIssue(parsed.error);
  const { period_seconds: period, cron, tz, grace_seconds: grace } = parsed.data;
  const graceSeconds = grace ?? DEFAULT_GRACE_SECONDS;
  const hasPeriod = period !== undefined && period !== null;
  const hasCron = cron !== undefined && cron !== null;
  if (hasPeriod === hasCron) return failure(ROOT_FIELD, 'give exactly one of period_seconds and cron');
  if (hasPeriod) {
    if (tz !== undefined && tz !== null) return failure('tz', 'only applies to cron schedules');
    return { ok: true, schedule: { kind: 'period', periodSeconds: period, graceSeconds } };
  }
  return cronSchedule(cron ?? '', tz ?? 'UTC', graceSeconds);
}

/** When the next run is due after `since` (epoch ms), or undefined for a cron that never fires again. */
export function nextExpectedAt(schedule: JobSchedule, since: number): number | undefined {
  if (schedule.kind === 'period') return since + schedule.periodSeconds * 1000;
  const parsed = parseCron(schedule.cron);
  return parsed.ok ? nextCronTime(parsed.cron, schedule.tz, since) : undefined;
}

/** The moment a job whose last report came at `since` becomes late (next run + grace). */
export function lateAfter(schedule: JobSchedule, since: number): number | undefined {
  const next = nextExpectedAt(schedule, since);
  return next === undefined ? undefined : next + schedule.graceSeconds * 1000;
}

/** True when no report since `since` is past the next expected run plus the grace. */
export function isLate(schedule: JobSchedule, since: number, now: number): boolean {
  const deadline = lateAfter(schedule, since);
  return deadline !== undefined && now > deadline;
}

// ---------------------------------------------------------------------------------------------------------
// Durations and text

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90`, `45s`, `10m`, `1h`, `1h30m`, `2d` → seconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+[smhdw])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return total;
}

/** 3600 → `1h`, 5400 → `1h30m`, 90 → `1m30s`, 0 → `0s`: the inverse of `parseDuration`. */
export function durationText(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  if (rest === 0) return '0s';
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_SECONDS[unit] ?? 1;
    const amount = Math.floor(rest / size);
    if (amount > 0) out += `${amount}${unit}`;
    rest -= amount * size;
  }
  return out;
}

/** `every 1h` or `cron 0 3 * * * (Asia/Tokyo)`: what "expected …" means for this schedule. */
export function scheduleText(schedule: JobSchedule): string {
  return schedule.kind === 'period'
    ? `every ${durationText(schedule.periodSeconds)}`
    : `cron ${schedule.cron} (${schedule.tz})`;
}

/** `every 1h, grace 10m`. */
export function describeSchedule(schedule: JobSchedule): string {
  return `${scheduleText(schedule)}, grace ${durationText(schedule.graceSeconds)}`;
}

// ---------------------------------------------------------------------------------------------------------
// `/jobs expect <job_key> every 1h grace 10m` and `/jobs expect <job_key> cron "0 3 * * *" tz Asia/Tokyo grace 30m`

/** Splits on spaces, keeping "double-quoted" (also Slack's “curly”) groups together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [, quoted, bare] of text.matchAll(/["“”]([^"“”]*)["“”]|(\S+)/g)) {
    tokens.push(quoted ?? bare ?? '');
  }
  return tokens;
}

const OPTION_NAMES: ReadonlySet<string> = new Set(['grace', 'tz']);

export type ExpectCommand =
  { ok: true; jobKey: string; schedule: JobSchedule } | { ok: false; reason: string };

export function parseExpectCommand(text: string): ExpectCommand {
  const [jobKey, kind, ...rest] = tokenize(text);
  if (jobKey === undefined || jobKey === '' || kind === undefined) {
    return { ok: false, reason: 'name the job and its schedule: `every <duration>` or `cron "<expr>"`' };
  }
  if (!['every', 'cron'].includes(kind.toLowerCase())) {
    return { ok: false, reason: `expected \`every\` or \`cron\` after the job key, got \`${kind}\`` };
  }
  let spec = rest.shift();
  if (spec === undefined) return { ok: false, reason: `\`${kind}\` needs a value` };
  // An unquoted cron expression arrives as up to five tokens; take them back.
  if (kind.toLowerCase() === 'cron' && !/\s/.test(spec) && !spec.startsWith('@')) {
    const fields = [spec];
    while (fields.length < 5 && rest[0] !== undefined && !OPTION_NAMES.has(rest[0].toLowerCase())) {
      fields.push(rest.shift() ?? '');
    }
    spec = fields.join(' ');
  }
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i]?.toLowerCase() ?? '';
    const value = rest[i + 1];
    if (!OPTION_NAMES.has(name) || value === undefined) {
      return {
        ok: false,
        reason: `unexpected \`${rest.slice(i).join(' ')}\` (expected \`grace <duration>\`)`,
      };
    }
    options.set(name, value);
  }
  let graceSeconds = DEFAULT_GRACE_SECONDS;
  const graceText = options.get('grace');
  if (graceText !== undefined) {
    const grace = parseDuration(graceText);
    if (grace === undefined || grace > MAX_SCHEDULE_SECONDS) {
      return { ok: false, reason: `grace \`${graceText}\` is not a duration such as 10m or 1h` };
    }
    graceSeconds = grace;
  }
  if (kind.toLowerCase() === 'every') {
    const period = parseDuration(spec);
    if (period === undefined) return { ok: false, reason: `\`${spec}\` is not a duration such as 1h or 30m` };
    if (period < MIN_PERIOD_SECONDS || period > MAX_SCHEDULE_SECONDS) {
      return { ok: false, reason: `the period must be from 1m to ${durationText(MAX_SCHEDULE_SECONDS)}` };
    }
    if (options.has('tz')) return { ok: false, reason: '`tz` only applies to cron schedules' };
    return { ok: true, jobKey, schedule: { kind: 'period', periodSeconds: period, graceSeconds } };
  }
  const result = cronSchedule(spec, options.get('tz') ?? 'UTC', graceSeconds);
  return result.ok
    ? { ok: true, jobKey, schedule: result.schedule }
    : { ok: false, reason: `${result.field}: ${result.reason}` };
}
