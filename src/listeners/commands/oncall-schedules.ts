/**
 * `/oncall` for schedules (issue 18): the overview, `who`, `override` (command or modal) and `swap`. The
 * services decide; this file only turns the command into calls and the answers into ephemeral replies. With no
 * schedules configured, `/oncall` answers exactly as before (the flat list alone).
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildOncallList } from '../../blocks/oncall.js';
import { buildOverrideModal } from '../../blocks/override-modal.js';
import { overrideAddedText, swapAskedText } from '../../blocks/schedule-messages.js';
import { buildOncallOverview, buildWhoReply } from '../../blocks/schedules.js';
import { ONCALL_USAGE, usageReply } from '../../blocks/usage.js';
import { parseOverrideWindow, parseTimeArgument } from '../../domain/schedules/override-time.js';
import type { Schedule } from '../../domain/oncall-config.js';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';
import { parseScheduleCommand, splitSchedule } from './schedule-args.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const HOUR_MS = 3_600_000;

export function createScheduleCommand(deps: ListenerDeps) {
  const { schedules, swaps, oncall, feeds } = deps.services;
  return async ({ command, ack, respond, client }: CommandArgs): Promise<void> => {
    const parsed = parseScheduleCommand(command.text);
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    const problem = (text: string) => ack({ response_type: 'ephemeral', ...usageReply(ONCALL_USAGE, text) });
    const ids = () => schedules.schedules().map((schedule) => schedule.id);
    const now = deps.clock.now();
    const user = command.user_id;

    switch (parsed.kind) {
      case 'error':
        await problem(parsed.problem);
        return;
      case 'overview': {
        const [views, responders] = await Promise.all([schedules.views(now), oncall.list()]);
        const answer =
          views.length === 0 ? buildOncallList(responders) : buildOncallOverview({ views, responders, now });
        await ack({ response_type: 'ephemeral', ...answer });
        return;
      }
      case 'who': {
        if (schedules.schedules().length === 0) {
          await ack({ response_type: 'ephemeral', ...buildOncallList(await oncall.list()) });
          return;
        }
        // `who <schedule> [time]`, or `who [time]` with the only (or your own) schedule.
        // A first word that is no time (`now`, `+2h` and dates start otherwise) names the schedule.
        const first = parsed.words[0];
        const named = first !== undefined && /^[A-Za-z]/.test(first) && first.toLowerCase() !== 'now';
        const chosen = schedules.choose(named ? first : undefined, user);
        if (!chosen.ok) return problem(chosen.reason);
        const timeWords = named ? parsed.words.slice(1) : parsed.words;
        let at = now;
        if (timeWords.length > 0) {
          const time = parseTimeArgument(timeWords.join(' '), { now, timeZone: chosen.schedule.timeZone });
          if (!time.ok) return problem(time.reason);
          at = time.instant;
        }
        const view = await schedules.view(chosen.schedule, at);
        const feedUrl = feeds.url(chosen.schedule.id);
        await ack({ response_type: 'ephemeral', ...buildWhoReply({ view, at, now, feedUrl }) });
        return;
      }
      case 'override-modal': {
        if (schedules.schedules().length === 0)
          return problem('There are no schedules (ONCALL_CONFIG has none).');
        await ack();
        await guard(deps, '/oncall override', reply, async () => {
          await client.views.open({
            trigger_id: command.trigger_id,
            view: buildOverrideModal({
              schedules: schedules.schedules(),
              user,
              start: now,
              end: now + 8 * HOUR_MS,
              privateMetadata: command.channel_id,
              ...(chooseQuietly(deps, user) ?? {}),
            }),
          });
        });
        return;
      }
      case 'override':
      case 'swap': {
        const split = splitSchedule(parsed.words, ids());
        const chosen = schedules.choose(split.schedule, parsed.kind === 'override' ? parsed.user : user);
        if (!chosen.ok) return problem(chosen.reason);
        const schedule = chosen.schedule;
        const window =
          parsed.kind === 'swap' && split.words.length === 0
            ? await ownShift(deps, schedule, user, now)
            : parseOverrideWindow(split.words, { now, timeZone: schedule.timeZone });
        if (!window.ok) return problem(window.reason);
        if (window.rest.length > 0) {
          return problem(`\`${window.rest.join(' ')}\` is not a schedule (schedules: ${ids().join(', ')}).`);
        }
        await ack();
        await guard(deps, `/oncall ${parsed.kind}`, reply, async () => {
          const request = { schedule: schedule.id, start: window.start, end: window.end };
          if (parsed.kind === 'override') {
            const added = await schedules.addOverride({ ...request, user: parsed.user, by: user });
            if (!added.ok) return void (await reply(`⚠️ Not added: ${added.reason}`));
            deps.logger.info(
              { by: user, override: added.override.id, schedule: schedule.id },
              'override added',
            );
            await reply(
              overrideAddedText({ schedule, user: parsed.user, start: window.start, end: window.end, now }),
            );
            return;
          }
          const asked = await swaps.ask({ ...request, requester: user, asked: parsed.user });
          if (!asked.ok) return void (await reply(`⚠️ Not asked: ${asked.reason}`));
          await reply(swapAskedText({ ...asked.swap, schedule }, now));
        });
        return;
      }
    }
  };
}

/** The schedule to preselect in the modal: the only one, or the only one the person takes turns in. */
function chooseQuietly(deps: ListenerDeps, user: string): { schedule: string } | undefined {
  const chosen = deps.services.schedules.choose(undefined, user);
  return chosen.ok ? { schedule: chosen.schedule.id } : undefined;
}

/** `/oncall swap @carol` without times: the asker's current shift, or else their next one. */
async function ownShift(
  deps: ListenerDeps,
  schedule: Schedule,
  user: string,
  now: number,
): Promise<{ ok: true; start: number; end: number; rest: string[] } | { ok: false; reason: string }> {
  const mine = (await deps.services.schedules.shiftsOf(user, now)).find((s) => s.schedule.id === schedule.id);
  if (mine === undefined || mine.until === null) {
    return {
      ok: false,
      reason: `You have no shift in ${schedule.id} coming up; give the times: \`/oncall swap @user <start> <end>\`.`,
    };
  }
  return { ok: true, start: mine.onCallNow ? now : (mine.from ?? now), end: mine.until, rest: [] };
}
