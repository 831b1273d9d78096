/**
 * Messages about on-call shifts (issue 18): the handoff notice in a schedule's channel, the DM an hour before a
 * shift, the swap question (a DM with Accept and Decline) and its answers, and the replies to `/oncall
 * override`. Times are the schedule's wall-clock time, named with its zone.
 */
import type { Schedule } from '../domain/oncall-config.js';
import { formatShiftTime } from '../domain/schedules/wall-clock.js';
import { Actions } from './ids.js';
import { actorText, escapeMrkdwn } from './format.js';
import { actions, button, context, section } from './kit.js';
import type { Reply } from './usage.js';

const when = (instant: number | null, schedule: Schedule, now: number, open = 'further notice'): string =>
  instant === null ? open : formatShiftTime(instant, schedule.timeZone, now);
const zone = (schedule: Schedule) => escapeMrkdwn(schedule.timeZone);
const id = (schedule: Schedule) => `*${escapeMrkdwn(schedule.id)}*`;

/** "<@bob> is now on call for payments-primary until Mon 09:00 (Europe/Berlin), taking over from <@alice>." */
export function handoffNotice(input: {
  schedule: Schedule;
  incoming: string | undefined;
  outgoing: string | undefined;
  until: number | null;
  now: number;
}): Reply {
  const { schedule, now } = input;
  const until = `until ${when(input.until, schedule, now)} (${zone(schedule)})`;
  const text =
    input.incoming === undefined
      ? `⚠️ Nobody is on call for ${id(schedule)} now${input.outgoing === undefined ? '' : ` (${actorText(input.outgoing)}’s shift ended)`}.`
      : `🔁 ${actorText(input.incoming)} is now on call for ${id(schedule)} ${until}${input.outgoing === undefined ? '' : `, taking over from ${actorText(input.outgoing)}`}.`;
  return { text, blocks: [section(text)] };
}

/** The DM an hour before a shift. */
export function shiftReminder(input: {
  schedule: Schedule;
  from: number;
  until: number | null;
  now: number;
}): Reply {
  const { schedule, now } = input;
  const text = `⏰ Your on-call shift for ${id(schedule)} starts ${when(input.from, schedule, now)} and lasts until ${when(input.until, schedule, now)} (${zone(schedule)}).`;
  return { text, blocks: [section(text)] };
}

export interface SwapQuestion {
  readonly id: string;
  readonly schedule: Schedule;
  readonly requester: string;
  readonly start: number;
  readonly end: number;
}

const windowText = (q: SwapQuestion, now: number) =>
  `${id(q.schedule)} from ${when(q.start, q.schedule, now)} until ${when(q.end, q.schedule, now)} (${zone(q.schedule)})`;

/** The DM to the person asked: the question, with Accept and Decline (value: the request's id). */
export function swapRequestMessage(question: SwapQuestion, now: number): Reply {
  const text = `🔄 ${actorText(question.requester)} asks you to take ${windowText(question, now)}.`;
  return {
    text,
    blocks: [
      section(text),
      actions(
        [
          button('Accept', Actions.swapAccept, question.id, 'primary'),
          button('Decline', Actions.swapDecline, question.id),
        ],
        `swap_${question.id}`.slice(0, 255),
      ),
      context(['Accepting makes you on call for that time instead (an override).']),
    ],
  };
}

/** What replaces the buttons once the person answered. */
export function swapAnsweredMessage(question: SwapQuestion, accepted: boolean, now: number): Reply {
  const text = accepted
    ? `✅ You took ${windowText(question, now)}, asked by ${actorText(question.requester)}.`
    : `❌ You declined ${actorText(question.requester)}’s request to take ${windowText(question, now)}.`;
  return { text, blocks: [section(text)] };
}

/** The DM to the person who asked, once answered. */
export function swapOutcomeForRequester(
  question: SwapQuestion & { asked: string },
  accepted: boolean,
  now: number,
): Reply {
  const text = accepted
    ? `✅ ${actorText(question.asked)} accepted: they are on call for ${windowText(question, now)}.`
    : `❌ ${actorText(question.asked)} declined to take ${windowText(question, now)}.`;
  return { text, blocks: [section(text)] };
}

/** The requester's reply to `/oncall swap`. */
export function swapAskedText(question: SwapQuestion & { asked: string }, now: number): string {
  return `📨 Asked ${actorText(question.asked)} to take ${windowText(question, now)}; you will hear back here.`;
}

/** The reply to `/oncall override` (command or modal). */
export function overrideAddedText(input: {
  schedule: Schedule;
  user: string;
  start: number;
  end: number;
  now: number;
}): string {
  const { schedule, now } = input;
  return `✅ ${actorText(input.user)} is on call for ${id(schedule)} from ${when(input.start, schedule, now)} until ${when(input.end, schedule, now)} (${zone(schedule)}) instead of the rota.`;
}
