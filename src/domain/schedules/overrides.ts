/**
 * Overrides: "Bob is on call for payments-primary from 10:00 to 14:00", whoever the layers say. They come from
 * Slack (`/oncall override`, an accepted swap) and live in the store; this file only decides whether a new one
 * may be added. Two overrides of one schedule never overlap, so who is on call under overrides is never a
 * matter of which was made last.
 */
import { formatLocal } from './wall-clock.js';

export interface Override {
  /** The store's id, when it has one (shown in reasons and views, used to delete). */
  readonly id?: string;
  /** The schedule id it applies to. */
  readonly schedule: string;
  /** The Slack user on call instead. */
  readonly user: string;
  /** Epoch ms; the override holds over [start, end). */
  readonly start: number;
  readonly end: number;
}

export type OverrideCheck = { ok: true } | { ok: false; reason: string; conflict?: Override };

export interface OverrideCheckContext {
  /** The schedule's zone, for the times a reason quotes. */
  readonly timeZone: string;
  /** Overrides that are already over are refused; omit to allow them (imports, tests). */
  readonly now?: number;
}

/**
 * Whether `candidate` may join `existing` (any schedules; only its own schedule's count): it must end after
 * it starts, not be over already, and not overlap another override of the same schedule. Touching is fine:
 * one may end at 12:00 and the next start at 12:00.
 */
export function checkNewOverride(
  candidate: Override,
  existing: readonly Override[],
  context: OverrideCheckContext,
): OverrideCheck {
  const at = (instant: number) => formatLocal(instant, context.timeZone);
  if (candidate.end <= candidate.start) {
    return {
      ok: false,
      reason: `an override must end after it starts (start ${at(candidate.start)}, end ${at(candidate.end)}, ${context.timeZone})`,
    };
  }
  if (context.now !== undefined && candidate.end <= context.now) {
    return {
      ok: false,
      reason: `that override would already be over (it ends ${at(candidate.end)}, ${context.timeZone})`,
    };
  }
  const conflict = existing.find(
    (other) =>
      other.schedule === candidate.schedule && other.start < candidate.end && candidate.start < other.end,
  );
  if (conflict === undefined) return { ok: true };
  return {
    ok: false,
    conflict,
    reason: `it overlaps <@${conflict.user}>'s override of ${conflict.schedule} from ${at(conflict.start)} to ${at(conflict.end)} (${context.timeZone})`,
  };
}

/** The override in force at `instant` for `scheduleId`; with overlapping ones (never stored), the last listed. */
export function overrideAt(
  overrides: readonly Override[],
  scheduleId: string,
  instant: number,
): Override | undefined {
  return overrides.findLast((o) => o.schedule === scheduleId && o.start <= instant && instant < o.end);
}
