/**
 * `/oncall swap` (issue 18): one person asks another to take a stretch of a schedule; the person asked gets a DM
 * with Accept and Decline, and accepting makes them on call for it (an override, like `/oncall override`).
 * - The request is stored before the DM is sent, and answering it is a write conditional on its still being
 *   pending, so two clicks (or Slack retrying the action) answer it once.
 * - The override carries the request's id, so adding it again after a crash between the two writes is a no-op.
 * - Only the person asked can answer; an answer that comes after the stretch is over is refused.
 */
import { randomBytes } from 'node:crypto';
import {
  swapAnsweredMessage,
  swapOutcomeForRequester,
  swapRequestMessage,
} from '../blocks/schedule-messages.js';
import type { Clock } from '../domain/clock.js';
import { checkNewOverride } from '../domain/schedules/overrides.js';
import type { Logger } from '../logger.js';
import type { OncallMessenger } from './ports/oncall-messenger.js';
import type { OncallStore, SwapRequest } from './ports/oncall-store.js';
import type { ScheduleService } from './schedules.js';

export type SwapAsked = { ok: true; swap: SwapRequest } | { ok: false; reason: string };
export type SwapAnswered = { ok: true; swap: SwapRequest; accepted: boolean } | { ok: false; reason: string };

export interface SwapService {
  ask(input: {
    schedule: string;
    requester: string;
    asked: string;
    start: number;
    end: number;
  }): Promise<SwapAsked>;
  /** The person `by` clicked Accept (`accept`) or Decline on request `id`. */
  answer(id: string, by: string, accept: boolean): Promise<SwapAnswered>;
}

export function createSwapService(deps: {
  schedules: ScheduleService;
  store: OncallStore;
  messenger: OncallMessenger;
  clock: Clock;
  logger: Logger;
}): SwapService {
  const { schedules, store, messenger, clock, logger } = deps;

  const takeOver = async (
    swap: SwapRequest,
    by: string,
  ): Promise<{ ok: true } | { ok: false; reason: string }> => {
    const added = await schedules.addOverride({
      schedule: swap.schedule,
      user: swap.asked,
      start: swap.start,
      end: swap.end,
      by,
      swapId: swap.id,
    });
    return added.ok ? { ok: true } : { ok: false, reason: `Could not take it: ${added.reason}` };
  };

  return {
    async ask(input) {
      const schedule = schedules.schedule(input.schedule);
      if (schedule === undefined) return { ok: false, reason: `There is no schedule \`${input.schedule}\`.` };
      if (input.asked === input.requester) return { ok: false, reason: 'Ask someone else to take it.' };
      const now = clock.now();
      // Checked now so the person asked is not asked for something that cannot be; checked again on accept.
      const check = checkNewOverride(
        { schedule: schedule.id, user: input.asked, start: input.start, end: input.end },
        await schedules.overrides(schedule),
        { timeZone: schedule.timeZone, now },
      );
      if (!check.ok) return { ok: false, reason: check.reason };
      const swap: SwapRequest = {
        id: `swp_${randomBytes(8).toString('hex')}`,
        schedule: schedule.id,
        requester: input.requester,
        asked: input.asked,
        start: input.start,
        end: input.end,
        status: 'pending',
        createdAt: now,
      };
      await store.createSwap(swap);
      const posted = await messenger.direct(swap.asked, swapRequestMessage({ ...swap, schedule }, now));
      await store.setSwapMessage(swap.id, posted);
      logger.info(
        { swap: swap.id, schedule: swap.schedule, requester: swap.requester, asked: swap.asked },
        'swap asked',
      );
      return { ok: true, swap: { ...swap, message: posted } };
    },

    async answer(id, by, accept) {
      const swap = await store.swap(id);
      if (swap === undefined) return { ok: false, reason: 'That swap request is no longer there.' };
      if (swap.asked !== by) return { ok: false, reason: `Only <@${swap.asked}> can answer this request.` };
      const schedule = schedules.schedule(swap.schedule);
      if (schedule === undefined) return { ok: false, reason: `The schedule \`${swap.schedule}\` is gone.` };
      const now = clock.now();
      const status = accept ? 'accepted' : 'declined';
      if (swap.status !== 'pending') {
        if (swap.status !== status) return { ok: false, reason: `This request was already ${swap.status}.` };
        // Accepted again (a second click, or after a crash before the override was written): make sure it is.
        if (accept) {
          const added = await takeOver(swap, by);
          if (!added.ok) return added;
        }
        return { ok: true, swap, accepted: accept };
      }
      // The answer is decided by one conditional write, so Accept and Decline clicked at once cannot both win.
      if (!(await store.answerSwap(id, status, now))) {
        const stored = await store.swap(id);
        return stored?.status === status
          ? { ok: true, swap: stored, accepted: accept }
          : { ok: false, reason: `This request was already ${stored?.status ?? 'answered'}.` };
      }
      if (accept) {
        const added = await takeOver(swap, by);
        if (!added.ok) {
          // It can no longer be (an overlapping override since it was asked): back to pending, as if unanswered.
          await store.reopenSwap(id);
          return added;
        }
      }
      const answered: SwapRequest = { ...swap, status, answeredAt: now };
      const question = { ...answered, schedule };
      if (swap.message !== undefined)
        await messenger.update(swap.message, swapAnsweredMessage(question, accept, now));
      await messenger.direct(swap.requester, swapOutcomeForRequester(question, accept, now));
      logger.info({ swap: id, schedule: swap.schedule, status }, 'swap answered');
      return { ok: true, swap: answered, accepted: accept };
    },
  };
}
