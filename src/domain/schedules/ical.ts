/**
 * A schedule's shifts as an iCalendar feed (RFC 5545), for Google Calendar, Outlook or Apple Calendar to
 * subscribe to (`GET /api/schedules/<id>.ics`). Made with ical-generator (10.x: it supports Node 20 here and
 * Lambda's nodejs22.x; 11.x needs Node 22), which does the escaping and line folding RFC 5545 asks for.
 * Times are UTC instants (`DTSTART:…Z`), which every calendar shows in its reader's zone; the shifts themselves
 * already follow the schedule's wall-clock rules. Pure: the same shifts and `now` give the same text.
 */
import ical from 'ical-generator';
import type { Schedule } from '../oncall-config.js';
import type { Shift } from './on-call.js';

/** How often calendar apps are asked to fetch the feed again (they may poll less often). */
export const FEED_REFRESH_SECONDS = 15 * 60;

export function scheduleCalendar(input: {
  schedule: Schedule;
  shifts: readonly Shift[];
  /** The feed's DTSTAMP: when it was generated. */
  now: number;
  /** How a person is named in an event (default: their Slack user id). */
  nameOf?: (user: string) => string;
}): string {
  const { schedule } = input;
  const nameOf = input.nameOf ?? ((user: string) => user);
  const calendar = ical({
    name: `On call: ${schedule.id}`,
    description: `Who is on call for ${schedule.id} (${schedule.timeZone}), from Hikeshi`,
    prodId: { company: 'hikeshi', product: 'oncall', language: 'EN' },
    ttl: FEED_REFRESH_SECONDS,
  });
  for (const shift of input.shifts) {
    calendar.createEvent({
      // Stable across fetches: the same shift keeps its event, a changed one (an override) gets a new one.
      id: `${schedule.id}-${shift.from}-${shift.user}@hikeshi`,
      start: new Date(shift.from),
      end: new Date(shift.until),
      stamp: new Date(input.now),
      summary: `On call: ${nameOf(shift.user)} (${schedule.id})`,
      description: `Slack user ${shift.user} is on call for ${schedule.id}.`,
    });
  }
  return calendar.toString();
}
