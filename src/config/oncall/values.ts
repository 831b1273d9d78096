/**
 * The leaf values of `ONCALL_CONFIG`: each turns one YAML value into its typed form or a reason that says what
 * was expected and quotes what was found (`expected "HH:MM", got "9:00"`). Reasons never quote more than 60
 * characters of a value.
 */
import * as z from '../../domain/zod.js';
import { WEEKDAYS, type MinuteOfDay, type Weekday } from '../../domain/oncall-config.js';
import {
  canonicalTimeZone,
  isIanaTimeZone,
  parseLocalDate,
  parseMinuteOfDay,
} from '../../domain/schedules/wall-clock.js';
import { Invalid } from '../fields.js';

export { Invalid };

/** A reason about a part of the value (`{hours: 0}`: its `hours`), so the problem's path points there. */
export class InvalidAt extends Invalid {
  constructor(
    readonly path: readonly (string | number)[],
    reason: string,
  ) {
    super(reason);
  }
}

/** What a reason says it found: the value for scalars, its kind for lists and maps, "nothing" for empty. */
export function shown(input: unknown): string {
  if (input === undefined || input === null) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string')
    return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
  return String(input);
}

/** A schema for one value: `parse` gets what the YAML holds (never undefined: that is "required"). */
export function value<T>(parse: (input: unknown) => T | Invalid) {
  return z.pipe(
    z.unknown(),
    z.transform((input: unknown, ctx): T => {
      const result = input === undefined ? new Invalid('required') : parse(input);
      if (result instanceof Invalid) {
        const path = result instanceof InvalidAt ? { path: [...result.path] } : {};
        ctx.issues.push({ code: 'custom', message: result.reason, input, ...path });
        return z.NEVER;
      }
      return result;
    }),
  );
}

/** A string value matching `pattern`, or "expected <what>, got …". */
export function text(pattern: RegExp, what: string) {
  return value((input) =>
    typeof input === 'string' && pattern.test(input)
      ? input
      : new Invalid(`expected ${what}, got ${shown(input)}`),
  );
}

/** Schedule and policy ids: they appear in commands (`/oncall who <id>`) and URLs (`/api/schedules/<id>.ics`). */
export const id = text(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id of letters, digits, - and _ (at most 64)');
export const slackUser = text(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id such as U01ALICE');
export const slackUsergroup = text(/^S[A-Z0-9]{2,}$/, 'a Slack user group id such as S0PAYONCALL');
/** A channel id, or a name as SLACK_ALERT_CHANNEL takes one. */
export const slackChannel = text(
  /^(?:[CG][A-Z0-9]{2,}|#?[a-z0-9][a-z0-9._-]{0,79})$/,
  'a Slack channel id such as C0PAYMENTS, or a channel name',
);
/** A `Responders` group id (RESPONDERS_GROUP_ID's kind of value). */
export const respondersGroup = text(/^\S{1,128}$/, 'a responders group id such as default');

export const minuteOfDay = value<MinuteOfDay>((input) => {
  const minutes = typeof input === 'string' ? parseMinuteOfDay(input) : undefined;
  return minutes ?? new Invalid(`expected "HH:MM", got ${shown(input)}`);
});

export const localDate = value<string>((input) =>
  typeof input === 'string' && parseLocalDate(input) !== undefined
    ? input
    : new Invalid(`expected a date "YYYY-MM-DD" that exists, got ${shown(input)}`),
);

export const timeZone = value<string>((input) => {
  if (typeof input === 'string' && isIanaTimeZone(input)) return input;
  const canonical = typeof input === 'string' ? canonicalTimeZone(input) : undefined;
  const hint = canonical === undefined ? '' : ` (did you mean "${canonical}"?)`;
  return new Invalid(`expected an IANA time zone name such as Europe/Berlin, got ${shown(input)}${hint}`);
});

const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export const weekday = value<Weekday>((input) => {
  const name = typeof input === 'string' ? input.toLowerCase() : '';
  const index = Math.max(WEEKDAYS.indexOf(name as Weekday), FULL_DAY_NAMES.indexOf(name));
  return (
    WEEKDAYS[index] ??
    new Invalid(`expected a day: mon, tue, wed, thu, fri, sat, sun (or monday … sunday), got ${shown(input)}`)
  );
});

export function integer(min: number, max: number) {
  return value((input) =>
    typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max
      ? input
      : new Invalid(`expected a whole number from ${min} to ${max}, got ${shown(input)}`),
  );
}

/** A list with at least one item, of `item`s. */
export function list<T extends z.ZodMiniType>(item: T, what: string) {
  return z.array(item).check(z.minLength(1, `expected at least one ${what}`));
}

/**
 * A map with exactly these keys (optional ones wrapped in z.optional). The error on an unknown key carries
 * the known ones, which load.ts puts into its reason.
 */
export function map<const Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? known : undefined),
  });
}
