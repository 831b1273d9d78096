/** Builders for schedule tests: layers and schedules in the domain's shape, times as ISO strings. */
import type { Layer, Schedule } from '../../src/domain/oncall-config.js';
import type { Override } from '../../src/domain/schedules/overrides.js';
import { whoIsOnCall, type ShiftView, type Shift } from '../../src/domain/schedules/on-call.js';

/** "09:30" → minutes since midnight. */
export const hm = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

export function layer(fields: Partial<Layer> & Pick<Layer, 'users'>): Layer {
  return { rotation: { kind: 'daily' }, handoff: hm('09:00'), start: '2026-11-02', ...fields };
}

export function scheduleOf(timeZone: string, ...layers: Layer[]): Schedule {
  return { id: 'team', timeZone, layers };
}

export const ms = (iso: string): number => {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) throw new Error(`not an instant: ${iso}`);
  return instant;
};

export const iso = (instant: number | null): string | null =>
  instant === null ? null : new Date(instant).toISOString().replace(':00.000Z', 'Z');

export function override(user: string, start: string, end: string, schedule = 'team'): Override {
  return { schedule, user, start: ms(start), end: ms(end) };
}

/** Who is on call at `at` (an ISO instant): the user, or undefined for nobody. */
export function who(schedule: Schedule, at: string, overrides: readonly Override[] = []): string | undefined {
  const users = whoIsOnCall(schedule, overrides, ms(at));
  if (users.length > 1) throw new Error(`more than one person on call: ${users.join(', ')}`);
  return users[0];
}

/** A shift as `user from→until` in UTC, for readable expectations. */
export const shiftText = (shift: Shift | ShiftView): string =>
  `${shift.user} ${iso(shift.from)}→${iso(shift.until)}`;
