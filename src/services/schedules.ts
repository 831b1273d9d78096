/**
 * On-call schedules (issue 18): the one service every view asks — `/oncall`, App Home, `GET /api/oncall`, the
 * iCal feed, the handoff tick, and the escalation (issue 19: `whoIsOnCall(target, at)`). Schedules come from
 * ONCALL_CONFIG (read at each call, so a reload reaches everyone at once); overrides come from the store; the
 * answer is always the pure domain function's (src/domain/schedules/on-call.ts), so no two views can disagree.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { Schedule, Target } from '../domain/oncall-config.js';
import {
  onCallView,
  shiftsBetween,
  whoIsOnCall as onCallAt,
  type OnCallView,
  type Shift,
} from '../domain/schedules/on-call.js';
import { checkNewOverride } from '../domain/schedules/overrides.js';
import type { Span } from '../domain/schedules/rotation.js';
import type { OncallConfigSource } from './oncall-config.js';
import type { OncallStore, StoredOverride } from './ports/oncall-store.js';

export interface ScheduleView extends OnCallView {
  readonly schedule: Schedule;
}

/** Where `user` stands in one schedule at an instant: on call now (until when), or next up (from when). */
export interface UserShift {
  readonly schedule: Schedule;
  readonly onCallNow: boolean;
  readonly from: number | null;
  readonly until: number | null;
}

export type ScheduleChoice = { ok: true; schedule: Schedule } | { ok: false; reason: string };

export type OverrideOutcome =
  | { ok: true; override: StoredOverride; schedule: Schedule; created: boolean }
  | { ok: false; reason: string };

export interface NewOverride {
  schedule: string;
  user: string;
  start: number;
  end: number;
  /** Who made it (a Slack user id). */
  by: string;
  /** The accepted swap request it comes from: adding it twice (two clicks) adds it once. */
  swapId?: string;
}

export interface ScheduleService {
  /** The schedules of the configuration in force. */
  schedules(): readonly Schedule[];
  schedule(id: string): Schedule | undefined;
  /**
   * `ref` (a schedule id, any case) or, left out, the only schedule there is, or the only one `user` takes turns
   * in; otherwise a reason listing the schedules.
   */
  choose(ref: string | undefined, user?: string): ScheduleChoice;
  /**
   * Who a target means at `at`, overrides included: a schedule's on-call people, the user, or the flat list of a
   * responders group in priority order. Issue 19's escalation resolves each step's targets with this.
   */
  whoIsOnCall(target: Target, at: number): Promise<string[]>;
  /** Now and the `next` shifts after it, for every schedule (in the file's order). */
  views(at: number, next?: number): Promise<ScheduleView[]>;
  view(schedule: Schedule, at: number, next?: number): Promise<ScheduleView>;
  /** The schedules `user` is on call for at `at`, and those where their next shift is the next one. */
  shiftsOf(user: string, at: number): Promise<UserShift[]>;
  /** Every shift of the schedule over `span` (the iCal feed). */
  shifts(schedule: Schedule, span: Span): Promise<Shift[]>;
  overrides(schedule: Schedule): Promise<readonly StoredOverride[]>;
  /** Adds an override unless it is over already or overlaps another of the schedule (the reason says which). */
  addOverride(input: NewOverride): Promise<OverrideOutcome>;
}

const MAX_ATTEMPTS = 10;

/** Where `user` stands in each view: on call now (until when), or their shift among the next ones. */
export function userShiftsIn(views: readonly ScheduleView[], user: string): UserShift[] {
  return views.flatMap((v): UserShift[] => {
    const now = v.onCall.find((shift) => shift.user === user);
    if (now !== undefined)
      return [{ schedule: v.schedule, onCallNow: true, from: now.from, until: now.until }];
    const next = v.next.find((shift) => shift.user === user);
    return next === undefined
      ? []
      : [{ schedule: v.schedule, onCallNow: false, from: next.from, until: next.until }];
  });
}

export function createScheduleService(deps: {
  config: OncallConfigSource;
  store: OncallStore;
  /** The flat list of a responders group, in priority order (the seed's `Responders` table). */
  responders: (group: string) => Promise<string[]>;
  clock: Clock;
}): ScheduleService {
  const { config, store, clock } = deps;
  const schedules = () => config.current().schedules;
  const schedule = (id: string) => schedules().find((s) => s.id === id);
  const overridesOf = async (s: Schedule) => (await store.overrides(s.id)).overrides;

  const view = async (s: Schedule, at: number, next = 2): Promise<ScheduleView> => ({
    schedule: s,
    ...onCallView(s, await overridesOf(s), at, next),
  });

  return {
    schedules,
    schedule,
    choose(ref, user) {
      const all = schedules();
      const names = all.map((s) => s.id).join(', ');
      if (all.length === 0) return { ok: false, reason: 'There are no schedules (ONCALL_CONFIG has none).' };
      if (ref !== undefined) {
        const found = all.find((s) => s.id.toLowerCase() === ref.toLowerCase());
        return found === undefined
          ? { ok: false, reason: `There is no schedule \`${ref}\` (schedules: ${names}).` }
          : { ok: true, schedule: found };
      }
      if (all.length === 1) return { ok: true, schedule: all[0] as Schedule };
      const own = user === undefined ? [] : all.filter((s) => s.layers.some((l) => l.users.includes(user)));
      if (own.length === 1) return { ok: true, schedule: own[0] as Schedule };
      return { ok: false, reason: `Say which schedule (${names}).` };
    },
    async whoIsOnCall(target, at) {
      switch (target.kind) {
        case 'user':
          return [target.user];
        case 'responders':
          return deps.responders(target.group);
        case 'schedule': {
          const s = schedule(target.schedule);
          return s === undefined ? [] : onCallAt(s, await overridesOf(s), at);
        }
      }
    },
    views: (at, next) => Promise.all(schedules().map((s) => view(s, at, next))),
    view,
    async shiftsOf(user, at) {
      return userShiftsIn(await Promise.all(schedules().map((s) => view(s, at, 3))), user);
    },
    shifts: async (s, span) => shiftsBetween(s, await overridesOf(s), span),
    overrides: overridesOf,
    async addOverride(input) {
      const s = schedule(input.schedule);
      if (s === undefined) return { ok: false, reason: `There is no schedule \`${input.schedule}\`.` };
      for (let attempt = 1; ; attempt += 1) {
        const { overrides, version } = await store.overrides(s.id);
        const same =
          input.swapId === undefined ? undefined : overrides.find((o) => o.swapId === input.swapId);
        if (same !== undefined) return { ok: true, override: same, schedule: s, created: false };
        const now = clock.now();
        const override: StoredOverride = {
          id: `ovr_${randomBytes(6).toString('hex')}`,
          schedule: s.id,
          user: input.user,
          start: input.start,
          end: input.end,
          createdBy: input.by,
          createdAt: now,
          ...(input.swapId === undefined ? {} : { swapId: input.swapId }),
        };
        const check = checkNewOverride(override, overrides, { timeZone: s.timeZone, now });
        if (!check.ok) return { ok: false, reason: check.reason };
        if (await store.saveOverrides(s.id, [...overrides, override], version)) {
          return { ok: true, override, schedule: s, created: true };
        }
        // Someone saved in between: read again and check against what they added.
        if (attempt >= MAX_ATTEMPTS) {
          return { ok: false, reason: 'The schedule kept changing while saving; try again.' };
        }
      }
    },
  };
}
