/**
 * Five-field cron (minute hour day-of-month month day-of-week) in an IANA time zone, for "when should this
 * job have run?". Parsing and the next-run search, including daylight-saving gaps and repeats, are croner's
 * (https://github.com/hexagon/croner): a maintained library beats hand-written calendar arithmetic. This file
 * only pins the dialect: exactly five fields (or an @macro), Vixie-cron OR-ing of day-of-month and
 * day-of-week, and the job is never started (`paused`), since we only ask it for dates.
 */
import { Cron } from 'croner';

export interface CronExpression {
  /** The expression as given (macros kept), for display. */
  source: string;
  pattern: Cron;
}

export type CronParseResult = { ok: true; cron: CronExpression } | { ok: false; reason: string };

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

export function parseCron(expression: string): CronParseResult {
  const source = expression.trim().replace(/\s+/g, ' ');
  const isMacro = MACROS.has(source.toLowerCase());
  if (!isMacro && source.split(' ').length !== 5) {
    return {
      ok: false,
      reason: `expected 5 fields (minute hour day month weekday), got "${source}"`,
    };
  }
  try {
    // `legacyMode` (croner's default) ORs day-of-month and day-of-week like Vixie cron.
    const pattern = new Cron(isMacro ? source.toLowerCase() : source, {
      paused: true,
      mode: '5-part',
      legacyMode: true,
    });
    return { ok: true, cron: { source, pattern } };
  } catch (error) {
    // croner says e.g. "CronPattern: Invalid value for hour: 25"; keep the part a person needs.
    const detail = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, '');
    return { ok: false, reason: `invalid cron expression "${source}": ${detail}` };
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The first firing strictly after `after` (ms since the epoch) in `timeZone`, or undefined if there is none. */
export function nextCronTime(cron: CronExpression, timeZone: string, after: number): number | undefined {
  const zoned = new Cron(cron.pattern.getPattern() ?? cron.source, {
    paused: true,
    mode: '5-part',
    legacyMode: true,
    timezone: timeZone,
  });
  const next = zoned.nextRun(new Date(after));
  return next === null ? undefined : next.getTime();
}
