/**
 * The shape of the `ONCALL_CONFIG` file (examples/oncall.yaml documents every field), as zod schemas whose
 * output is the domain's `OncallConfig` (src/domain/oncall-config.ts): YAML's snake_case keys become camelCase,
 * defaults are filled in and matchers are parsed. Cross-references between sections (a policy naming a
 * schedule, a route naming a policy, duplicate ids) are references.ts's, run on the raw file.
 */
import * as z from '../../domain/zod.js';
import {
  NOTIFY_CHANNELS,
  RESPONDERS_POLICY_ID,
  WEEKDAYS,
  type EscalationPolicy,
  type EscalationStep,
  type Layer,
  type NotifyChannel,
  type OncallConfig,
  type Restriction,
  type Rotation,
  type Route,
  type Schedule,
  type Target,
  type Weekday,
} from '../../domain/oncall-config.js';
import { parseMatcher, type Matcher } from '../../domain/route-matchers.js';
import { parseLocalDate, weekdayOf } from '../../domain/schedules/wall-clock.js';
import {
  Invalid,
  InvalidAt,
  id,
  integer,
  list,
  localDate,
  map,
  minuteOfDay,
  respondersGroup,
  shown,
  slackChannel,
  slackUser,
  slackUsergroup,
  timeZone,
  value,
  weekday,
} from './values.js';

/** Longest `{hours: N}` turn: a year. */
const MAX_ROTATION_HOURS = 8_784;
/** Default `wait_minutes` of a step. */
export const DEFAULT_WAIT_MINUTES = 5;

/** A rotation before its layer's `handoff_day` and `start` settle a weekly one's handoff day. */
type RotationKind =
  | { readonly kind: 'daily' }
  | { readonly kind: 'weekly' }
  | { readonly kind: 'hours'; readonly hours: number };

const rotation = value<RotationKind>((input) => {
  if (input === 'daily') return { kind: 'daily' };
  if (input === 'weekly') return { kind: 'weekly' };
  if (
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input) &&
    Object.keys(input).join() === 'hours'
  ) {
    const hours = (input as { hours: unknown }).hours;
    if (typeof hours === 'number' && Number.isInteger(hours) && hours >= 1 && hours <= MAX_ROTATION_HOURS) {
      return { kind: 'hours', hours };
    }
    return new InvalidAt(
      ['hours'],
      `expected a whole number of hours from 1 to ${MAX_ROTATION_HOURS}, got ${shown(hours)}`,
    );
  }
  return new Invalid(`expected daily, weekly or {hours: N}, got ${shown(input)}`);
});

const restriction = z.pipe(
  map({
    days: z.optional(list(weekday, 'day')),
    from: z.optional(minuteOfDay),
    to: z.optional(minuteOfDay),
  }),
  z.transform((raw, ctx): Restriction => {
    if (raw.days === undefined && raw.from === undefined && raw.to === undefined) {
      ctx.issues.push({ code: 'custom', message: 'expected at least one of days, from, to', input: raw });
    }
    return { days: raw.days ?? [...WEEKDAYS], from: raw.from ?? 0, to: raw.to ?? 0 };
  }),
);

function misplacedHandoffDay(ctx: { issues: z.core.$ZodRawIssue[] }, day: Weekday): void {
  ctx.issues.push({
    code: 'custom',
    message: 'only a weekly rotation has a handoff_day',
    input: day,
    path: ['handoff_day'],
  });
}

const layer = z.pipe(
  map({
    rotation,
    handoff: minuteOfDay,
    handoff_day: z.optional(weekday),
    start: localDate,
    users: list(slackUser, 'user'),
    restrict: z.optional(restriction),
  }),
  z.transform((raw, ctx): Layer => {
    let rotation: Rotation;
    if (raw.rotation.kind === 'weekly') {
      // Without handoff_day, a weekly rotation hands off on the weekday of `start` (valid: checked above).
      const startDate = parseLocalDate(raw.start);
      const startDay = startDate === undefined ? 'mon' : weekdayOf(startDate);
      rotation = { kind: 'weekly', handoffDay: raw.handoff_day ?? startDay };
    } else if (raw.rotation.kind === 'daily') {
      rotation = { kind: 'daily' };
      if (raw.handoff_day !== undefined) misplacedHandoffDay(ctx, raw.handoff_day);
    } else {
      rotation = raw.rotation;
      if (raw.handoff_day !== undefined) misplacedHandoffDay(ctx, raw.handoff_day);
    }
    return {
      rotation,
      handoff: raw.handoff,
      start: raw.start,
      users: raw.users,
      ...(raw.restrict === undefined ? {} : { restrict: raw.restrict }),
    };
  }),
);

const schedule = z.pipe(
  map({
    id,
    time_zone: timeZone,
    channel: z.optional(slackChannel),
    slack_usergroup: z.optional(slackUsergroup),
    layers: list(layer, 'layer'),
  }),
  z.transform((raw): Schedule => ({
    id: raw.id,
    timeZone: raw.time_zone,
    ...(raw.channel === undefined ? {} : { channel: raw.channel }),
    ...(raw.slack_usergroup === undefined ? {} : { slackUsergroup: raw.slack_usergroup }),
    layers: raw.layers,
  })),
);

const TARGET_SHAPES = '{schedule: <id>}, {user: <Slack user id>} or {responders: <group>}';

const target = value<Target>((input) => {
  const keys = typeof input === 'object' && input !== null && !Array.isArray(input) ? Object.keys(input) : [];
  const [key] = keys;
  const given = (input as Record<string, unknown> | null)?.[key ?? ''];
  if (keys.length !== 1) {
    const got = keys.length > 1 ? `a map with ${keys.join(' and ')}` : shown(input);
    return new Invalid(`expected one of ${TARGET_SHAPES}, got ${got}`);
  }
  const check = (schema: z.ZodMiniType<string, unknown>, what: string): string | Invalid => {
    const result = schema.safeParse(given);
    return result.success ? result.data : new InvalidAt([what], result.error.issues[0]?.message ?? 'invalid');
  };
  switch (key) {
    case 'schedule': {
      const schedule = check(id, 'schedule');
      return schedule instanceof Invalid ? schedule : { kind: 'schedule', schedule };
    }
    case 'user': {
      const user = check(slackUser, 'user');
      return user instanceof Invalid ? user : { kind: 'user', user };
    }
    case 'responders': {
      const group = check(respondersGroup, 'responders');
      return group instanceof Invalid ? group : { kind: 'responders', group };
    }
    default:
      return new Invalid(`expected one of ${TARGET_SHAPES}, got a map with ${JSON.stringify(key)}`);
  }
});

const notifyChannel = value<NotifyChannel>((input) =>
  (NOTIFY_CHANNELS as readonly unknown[]).includes(input)
    ? (input as NotifyChannel)
    : new Invalid(`expected ${NOTIFY_CHANNELS.join(' or ')}, got ${shown(input)}`),
);

const step = z.pipe(
  map({
    targets: list(target, 'target'),
    notify: list(notifyChannel, 'of slack, phone'),
    wait_minutes: z.optional(integer(0, 1_440)),
  }),
  z.transform((raw, ctx): EscalationStep => {
    const repeated = raw.notify.findIndex((channel, i) => raw.notify.indexOf(channel) !== i);
    if (repeated >= 0) {
      ctx.issues.push({
        code: 'custom',
        message: `${raw.notify[repeated] ?? ''} is listed twice`,
        input: raw.notify,
        path: ['notify', repeated],
      });
    }
    return {
      targets: raw.targets,
      notify: raw.notify,
      waitMinutes: raw.wait_minutes ?? DEFAULT_WAIT_MINUTES,
    };
  }),
);

const policy = z.pipe(
  map({ id, repeat: z.optional(integer(0, 10)), steps: list(step, 'step') }),
  z.transform((raw): EscalationPolicy => ({ id: raw.id, repeat: raw.repeat ?? 0, steps: raw.steps })),
);

const matcher = value<Matcher>((input) => {
  if (typeof input !== 'string') {
    return new Invalid(`expected a matcher such as 'label:team="payments"', got ${shown(input)}`);
  }
  const parsed = parseMatcher(input);
  return parsed.ok ? parsed.matcher : new Invalid(parsed.reason);
});

const route = z.pipe(
  map({ match: z.optional(z.array(matcher)), policy: id, channel: z.optional(slackChannel) }),
  z.transform((raw): Route => ({
    matchers: raw.match ?? [],
    policy: raw.policy,
    ...(raw.channel === undefined ? {} : { channel: raw.channel }),
  })),
);

export const oncallConfigSchema = z.pipe(
  map({
    schedules: z.optional(z.array(schedule)),
    escalation_policies: z.optional(z.array(policy)),
    routes: z.optional(z.array(route)),
    default_policy: z.optional(id),
  }),
  z.transform((raw): OncallConfig => ({
    schedules: raw.schedules ?? [],
    escalationPolicies: raw.escalation_policies ?? [],
    routes: raw.routes ?? [],
    defaultPolicy: raw.default_policy ?? RESPONDERS_POLICY_ID,
  })),
);
