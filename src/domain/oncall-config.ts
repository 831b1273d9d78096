/**
 * The on-call configuration (`ONCALL_CONFIG`, a YAML file modelled on Alertmanager's): schedules, escalation
 * policies, routes and the default policy, as the typed, validated and frozen value the rest of Hikeshi reads.
 * src/config/oncall/ turns the file into this shape (names camelCased, defaults filled in, every cross-reference
 * checked); examples/oncall.yaml documents every field. Types only, plus the few names the file reserves.
 */
import type { Matcher } from './route-matchers.js';

/** Days as the file spells them in `restrict.days` (`handoff_day` also takes `monday` … `sunday`). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The seed's flat `Responders` list as a policy: the default when no route matches and no default is set. */
export const RESPONDERS_POLICY_ID = 'responders';

/** `handoff` and `restrict.from/to`: a local wall-clock time, as minutes since local midnight (0 … 1439). */
export type MinuteOfDay = number;

/**
 * How turns follow each other. Turn 0 starts at `start` + `handoff` (local); then:
 * - daily: every local day at `handoff`;
 * - weekly: every `handoffDay` at `handoff` (the first turn is shorter when `start` is not a `handoffDay`);
 * - hours: every `hours` real hours (so the local handoff time moves by an hour across a DST change).
 */
export type Rotation =
  | { readonly kind: 'daily' }
  | { readonly kind: 'weekly'; readonly handoffDay: Weekday }
  | { readonly kind: 'hours'; readonly hours: number };

/**
 * The layer counts only inside these windows: on each of `days`, from `from` to `to` local time; a `to` at or
 * before `from` ends the next day (`from: 18:00, to: 09:00` is overnight; equal times are 24 hours).
 */
export interface Restriction {
  readonly days: readonly Weekday[];
  readonly from: MinuteOfDay;
  readonly to: MinuteOfDay;
}

export interface Layer {
  readonly rotation: Rotation;
  readonly handoff: MinuteOfDay;
  /** The local date turn 0 starts on (`YYYY-MM-DD`); before it the layer has nobody on call. */
  readonly start: string;
  /** Slack user ids, in turn order; turn k belongs to `users[k % users.length]`. */
  readonly users: readonly string[];
  readonly restrict?: Restriction;
}

export interface Schedule {
  readonly id: string;
  /** An IANA time zone name; every handoff and restriction is local wall-clock time there. */
  readonly timeZone: string;
  /** Handoff notices go to this channel. */
  readonly channel?: string;
  /** A Slack user group kept equal to who is on call. */
  readonly slackUsergroup?: string;
  /** A later layer wins wherever it has someone on call; lower layers show through elsewhere. */
  readonly layers: readonly Layer[];
}

/** Who a step notifies: a schedule's on-call people (overrides included), one user, or the flat list. */
export type Target =
  | { readonly kind: 'schedule'; readonly schedule: string }
  | { readonly kind: 'user'; readonly user: string }
  | { readonly kind: 'responders'; readonly group: string };

export const NOTIFY_CHANNELS = ['slack', 'phone'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

export interface EscalationStep {
  readonly targets: readonly Target[];
  readonly notify: readonly NotifyChannel[];
  /** Minutes until the next step (after the last step: until the steps repeat, or "nobody answered"). */
  readonly waitMinutes: number;
}

export interface EscalationPolicy {
  readonly id: string;
  /** How many more times the steps are gone through after the first time. */
  readonly repeat: number;
  readonly steps: readonly EscalationStep[];
}

export interface Route {
  /** Every matcher must match (none: every incident). */
  readonly matchers: readonly Matcher[];
  /** An `escalationPolicies` id, or `responders`. */
  readonly policy: string;
  /** This route's incidents post here instead of the alert channel. */
  readonly channel?: string;
}

export interface OncallConfig {
  readonly schedules: readonly Schedule[];
  readonly escalationPolicies: readonly EscalationPolicy[];
  /** First match wins. */
  readonly routes: readonly Route[];
  /** The policy of an incident no route matches; `responders` unless the file says otherwise. */
  readonly defaultPolicy: string;
}

/** The configuration without a file: the flat list for every incident, as before schedules existed. */
export const EMPTY_ONCALL_CONFIG: OncallConfig = Object.freeze({
  schedules: Object.freeze([]),
  escalationPolicies: Object.freeze([]),
  routes: Object.freeze([]),
  defaultPolicy: RESPONDERS_POLICY_ID,
});
