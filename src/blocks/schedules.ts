/**
 * On-call schedules as Slack shows them (issue 18): `/oncall` (now and next for every schedule, then the flat
 * list), `/oncall who`, and the App Home section ("You are on call for payments-primary until Mon 09:00
 * (Europe/Berlin)"). Times are the schedule's own wall-clock time, named with its zone, because a rota is
 * agreed in its team's time ("handoff Monday 09:00 Berlin"), whatever zone the reader is in.
 */
import type { OncallEntry } from '../domain/oncall.js';
import type { Schedule } from '../domain/oncall-config.js';
import type { ShiftView } from '../domain/schedules/on-call.js';
import { formatShiftTime } from '../domain/schedules/wall-clock.js';
import { actorText, escapeMrkdwn, mrkdwnLink, truncate } from './format.js';
import { context, section, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';
import { EMPTY_ONCALL_TEXT, oncallListText } from './oncall.js';
import type { Reply } from './usage.js';

/** One schedule as a view shows it: who is on call, and the shifts after. */
export interface ScheduleShifts {
  readonly schedule: Schedule;
  readonly onCall: readonly ShiftView[];
  readonly next: readonly ShiftView[];
}

/** Schedules listed in one message before "…and N more" (a message holds 50 blocks). */
export const SCHEDULES_SHOWN_MAX = 40;

const at = (instant: number | null, zone: string, now: number, open: string): string =>
  instant === null ? open : formatShiftTime(instant, zone, now);

/** `<@U1> until Mon 09:00`, or nobody. */
export function nowText(view: ScheduleShifts, now: number): string {
  const zone = view.schedule.timeZone;
  if (view.onCall.length === 0) return 'nobody';
  return view.onCall
    .map((s) => `${actorText(s.user)} until ${at(s.until, zone, now, 'further notice')}`)
    .join(', ');
}

/** `<@U2> Mon 09:00 → Tue 09:00 · …`, or none. */
export function nextText(view: ScheduleShifts, now: number): string {
  const zone = view.schedule.timeZone;
  if (view.next.length === 0) return 'none planned';
  return view.next
    .map(
      (s) =>
        `${actorText(s.user)} ${at(s.from, zone, now, 'later')} → ${at(s.until, zone, now, 'further notice')}`,
    )
    .join(' · ');
}

export function scheduleTitle(schedule: Schedule): string {
  return `*${escapeMrkdwn(schedule.id)}* · ${escapeMrkdwn(schedule.timeZone)}`;
}

/** One schedule: its name and zone, now, next. */
export function scheduleSummary(view: ScheduleShifts, now: number): string {
  return truncate(
    `${scheduleTitle(view.schedule)}\nNow: ${nowText(view, now)}\nNext: ${nextText(view, now)}`,
    Limits.sectionText,
  );
}

const RESPONDERS_HEADING = '*Responders* (the flat list, phoned in this order)';

/** `/oncall`: every schedule's now and next, then the flat list. */
export function buildOncallOverview(input: {
  views: readonly ScheduleShifts[];
  responders: readonly OncallEntry[];
  now: number;
}): Reply {
  const { views, now } = input;
  const shown = views.slice(0, SCHEDULES_SHOWN_MAX);
  const blocks: KnownBlock[] = [];
  if (views.length > 0) {
    blocks.push(section('*On call* (times in each schedule’s time zone)'));
    for (const view of shown) blocks.push(section(scheduleSummary(view, now)));
    if (views.length > shown.length) blocks.push(context([`…and ${views.length - shown.length} more`]));
  }
  blocks.push(section(RESPONDERS_HEADING), section(oncallListText(input.responders)));
  const scheduleLines = shown.map((v) => `${v.schedule.id}: ${nowText(v, now)}`);
  const flat =
    input.responders.length === 0 ? EMPTY_ONCALL_TEXT : `Responders:\n${oncallListText(input.responders)}`;
  return { text: truncate([...scheduleLines, flat].join('\n'), Limits.messageText), blocks };
}

/** `/oncall who <schedule> [time]`: who is on call at that time, and the schedule's calendar feed. */
export function buildWhoReply(input: {
  view: ScheduleShifts;
  at: number;
  now: number;
  feedUrl?: string | undefined;
}): Reply {
  const { view, now } = input;
  const zone = view.schedule.timeZone;
  const when =
    input.at === now ? 'now' : `at ${formatShiftTime(input.at, zone, now)} (${escapeMrkdwn(zone)})`;
  const current = view.onCall[0];
  const who =
    current === undefined
      ? `Nobody is on call for *${escapeMrkdwn(view.schedule.id)}* ${when}.`
      : `${actorText(current.user)} is on call for *${escapeMrkdwn(view.schedule.id)}* ${when}: from ${at(current.from, zone, now, 'long before')} until ${at(current.until, zone, now, 'further notice')}.`;
  const blocks: KnownBlock[] = [section(who), section(`Next: ${nextText(view, now)}`)];
  if (input.feedUrl !== undefined) {
    blocks.push(
      context([
        `📅 Calendar feed (keep it private): ${mrkdwnLink(input.feedUrl, `${view.schedule.id}.ics`)}`,
      ]),
    );
  }
  return { text: who, blocks };
}

/** Where the viewer stands in one schedule. */
export interface ViewerShift {
  readonly schedule: Schedule;
  readonly onCallNow: boolean;
  readonly from: number | null;
  readonly until: number | null;
}

/** "You are on call for payments-primary until Mon 09:00 (Europe/Berlin)", or when the next shift starts. */
export function viewerShiftText(shift: ViewerShift, now: number): string {
  const zone = shift.schedule.timeZone;
  const id = `*${escapeMrkdwn(shift.schedule.id)}*`;
  return shift.onCallNow
    ? `🟢 You are on call for ${id} until ${at(shift.until, zone, now, 'further notice')} (${escapeMrkdwn(zone)})`
    : `⏭️ Your next shift for ${id}: ${at(shift.from, zone, now, 'later')} → ${at(shift.until, zone, now, 'further notice')} (${escapeMrkdwn(zone)})`;
}

/** The App Home's on-call section: the viewer's own shifts, every schedule, its feed, then the flat list. */
export function appHomeOncallBlocks(input: {
  viewerShifts: readonly ViewerShift[];
  views: readonly ScheduleShifts[];
  responders: readonly OncallEntry[];
  now: number;
  feedUrl?: (schedule: string) => string | undefined;
  /** At most this many blocks. */
  maxBlocks: number;
}): KnownBlock[] {
  const { now } = input;
  const blocks: KnownBlock[] = [];
  const mine = input.viewerShifts.map((s) => viewerShiftText(s, now));
  if (input.views.length > 0) {
    blocks.push(
      section(mine.length > 0 ? mine.join('\n') : 'You are not on call, and no shift of yours is coming up.'),
    );
  }
  for (const view of input.views) {
    const feed = input.feedUrl?.(view.schedule.id);
    blocks.push(section(scheduleSummary(view, now)));
    if (feed !== undefined)
      blocks.push(
        context([`📅 ${mrkdwnLink(feed, `Calendar feed of ${view.schedule.id}`)} (keep it private)`]),
      );
  }
  blocks.push(section(RESPONDERS_HEADING), section(oncallListText(input.responders)));
  if (blocks.length <= input.maxBlocks) return blocks;
  return [...blocks.slice(0, Math.max(input.maxBlocks - 1, 0)), context(['…more in `/oncall`'])].slice(
    0,
    input.maxBlocks,
  );
}
