/**
 * What a handoff tick acts on, from the same timeline every view reads (on-call.ts): the latest change of who is
 * on call, and the shifts about to start. Pure, so the tick's decisions (src/services/handoffs.ts) are tested
 * with plain instants; the tick makes each one happen once through a claim keyed by what is returned here.
 */
import type { Schedule } from '../oncall-config.js';
import { timeline } from './on-call.js';
import type { Override } from './overrides.js';

/** Who was on call before `at` and who is after (undefined: nobody). */
export interface Handoff {
  readonly schedule: string;
  readonly at: number;
  readonly outgoing: string | undefined;
  readonly incoming: string | undefined;
}

/** A shift about to start: `user` takes over at `from`. */
export interface UpcomingShift {
  readonly schedule: string;
  readonly user: string;
  readonly from: number;
}

/**
 * The latest handoff in (now − lookbackMs, now], or undefined when who is on call has not changed in that time.
 * A tick that comes late still finds it, for as long as the lookback.
 */
export function latestHandoff(
  schedule: Schedule,
  overrides: readonly Override[],
  now: number,
  lookbackMs: number,
): Handoff | undefined {
  const segments = timeline(schedule, overrides, { from: now - lookbackMs, until: now + 1 });
  const current = segments.at(-1);
  const previous = segments.at(-2);
  if (current === undefined || previous === undefined) return undefined;
  return { schedule: schedule.id, at: current.from, outgoing: previous.user, incoming: current.user };
}

/** Shifts starting in (now, now + leadMs]: who to tell that their shift is near. */
export function shiftsStartingSoon(
  schedule: Schedule,
  overrides: readonly Override[],
  now: number,
  leadMs: number,
): UpcomingShift[] {
  const segments = timeline(schedule, overrides, { from: now, until: now + leadMs + 1 });
  return segments
    .slice(1)
    .flatMap((s) => (s.user === undefined ? [] : [{ schedule: schedule.id, user: s.user, from: s.from }]));
}
