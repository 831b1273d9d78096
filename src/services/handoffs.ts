/**
 * What happens at each handoff (issue 18), run by the scheduler's tick (in-process timer, or the Lambda `tick`
 * function every minute):
 * - a notice in the schedule's `channel`: who is on call now, until when, after whom;
 * - the schedule's `slack_usergroup` set to whoever is on call now;
 * - a DM to the incoming person an hour (REMINDER_LEAD_MS) before their shift starts.
 * Each happens once per handoff, across restarts and processes: a step is keyed by schedule, shift start and
 * person, and a process acts only after claiming that key in the store (a lease, then "done"; a failure gives the
 * lease back so the next tick retries). A tick that comes late still acts: it looks back NOTICE_LOOKBACK_MS for
 * the latest handoff, and reminds of every shift starting within the lead from now. The user group is set for the
 * current shift however long ago it began, so it converges after a deploy or a reload.
 * User groups exist only on paid Slack plans: when Slack says the sync cannot work here, that is logged once per
 * process and the rest goes on.
 */
import { handoffNotice, shiftReminder } from '../blocks/schedule-messages.js';
import type { Schedule } from '../domain/oncall-config.js';
import { latestHandoff, shiftsStartingSoon } from '../domain/schedules/handoffs.js';
import { onCallView } from '../domain/schedules/on-call.js';
import type { Override } from '../domain/schedules/overrides.js';
import type { Logger } from '../logger.js';
import type { OncallMessenger } from './ports/oncall-messenger.js';
import type { OncallStore } from './ports/oncall-store.js';
import type { ScheduleService } from './schedules.js';

export const NOTICE_LOOKBACK_MS = 6 * 3_600_000;
export const REMINDER_LEAD_MS = 3_600_000;
/** How long one process may hold a step before another may try it. */
const STEP_LEASE_MS = 120_000;

export interface HandoffService {
  /** One pass over every schedule at `now`; resolves with how many steps it performed. */
  tick(now: number): Promise<number>;
}

export function createHandoffService(deps: {
  schedules: ScheduleService;
  store: OncallStore;
  messenger: OncallMessenger;
  logger: Logger;
}): HandoffService {
  const { schedules, store, messenger } = deps;
  const logger = deps.logger.child({ component: 'handoffs' });
  let usergroupsUnavailable: string | undefined;

  /** Runs `work` once for `key` across processes; true when this call did it. */
  const once = async (key: string, work: () => Promise<void>): Promise<boolean> => {
    if (await store.stepDone(key)) return false;
    if (!(await store.claimStep(key, STEP_LEASE_MS))) return false;
    try {
      await work();
    } catch (error) {
      await store.releaseStep(key).catch(() => undefined);
      throw error;
    }
    await store.completeStep(key);
    return true;
  };

  const stepsOf = (schedule: Schedule, overrides: readonly Override[], now: number) => {
    const steps: { key: string; work: () => Promise<void> }[] = [];
    const view = onCallView(schedule, overrides, now, 0);
    const current = view.onCall[0];
    const channel = schedule.channel;
    if (channel !== undefined) {
      const handoff = latestHandoff(schedule, overrides, now, NOTICE_LOOKBACK_MS);
      if (handoff !== undefined) {
        steps.push({
          key: `notice:${schedule.id}:${handoff.at}:${handoff.incoming ?? '-'}`,
          work: async () => {
            const until = handoff.incoming === undefined ? null : (current?.until ?? null);
            await messenger.post(
              channel,
              handoffNotice({ schedule, incoming: handoff.incoming, outgoing: handoff.outgoing, until, now }),
            );
          },
        });
      }
    }
    const usergroup = schedule.slackUsergroup;
    if (usergroup !== undefined && current !== undefined && usergroupsUnavailable === undefined) {
      const users = view.onCall.map((s) => s.user);
      steps.push({
        key: `usergroup:${schedule.id}:${current.from ?? 'open'}:${users.join(',')}`,
        work: async () => {
          const result = await messenger.setUsergroupUsers(usergroup, users);
          if (!result.ok && usergroupsUnavailable === undefined) {
            usergroupsUnavailable = result.reason;
            logger.warn(
              { usergroup, schedule: schedule.id, reason: result.reason },
              'Slack user groups are not available to Hikeshi (a paid plan and the usergroups:write scope are needed): slack_usergroup is not kept in sync',
            );
          }
        },
      });
    }
    for (const shift of shiftsStartingSoon(schedule, overrides, now, REMINDER_LEAD_MS)) {
      steps.push({
        key: `reminder:${schedule.id}:${shift.from}:${shift.user}`,
        work: async () => {
          const upcoming = onCallView(schedule, overrides, shift.from, 0).onCall[0];
          const until = upcoming?.user === shift.user ? upcoming.until : null;
          await messenger.direct(shift.user, shiftReminder({ schedule, from: shift.from, until, now }));
        },
      });
    }
    return steps;
  };

  return {
    async tick(now) {
      let done = 0;
      const failures: unknown[] = [];
      for (const schedule of schedules.schedules()) {
        try {
          const overrides = await schedules.overrides(schedule);
          for (const step of stepsOf(schedule, overrides, now)) {
            try {
              if (await once(step.key, step.work)) done += 1;
            } catch (error) {
              failures.push(error);
              logger.error({ err: error, step: step.key }, 'handoff step failed; the next tick retries it');
            }
          }
        } catch (error) {
          failures.push(error);
          logger.error({ err: error, schedule: schedule.id }, 'handoffs of a schedule failed');
        }
      }
      if (done > 0) logger.info({ steps: done }, 'handoff steps done');
      if (failures.length > 0) throw failures[0];
      return done;
    },
  };
}
