/**
 * The schedule half of `/oncall` (issue 18), parsed into words; times and schedule ids are resolved by the
 * handler, which knows the schedules and their zones:
 * - `/oncall` or `/oncall list`: now and next for every schedule, and the flat list;
 * - `/oncall who [schedule] [time]`;
 * - `/oncall override` (a modal) or `/oncall override @bob <start> <end> [schedule]`;
 * - `/oncall swap @carol [<start> <end>] [schedule]`: ask Carol to take that stretch (default: your current or
 *   next shift).
 * Mentions arrive escaped (`<@U123|bob>`, manifest.json `should_escape`); a bare user id works too.
 */
import { parseUserMention } from './args.js';

export type ScheduleCommand =
  | { kind: 'overview' }
  | { kind: 'who'; words: string[] }
  | { kind: 'override-modal' }
  | { kind: 'override'; user: string; words: string[] }
  | { kind: 'swap'; user: string; words: string[] }
  | { kind: 'error'; problem: string };

const SUBCOMMANDS = new Set(['', 'list', 'who', 'override', 'swap']);

/** Whether `/oncall <text>` is one of these (the rest — add, remove, move, edit, help — is the flat list's). */
export function isScheduleCommand(text: string): boolean {
  return SUBCOMMANDS.has((text.trim().split(/\s+/)[0] ?? '').toLowerCase());
}

export function parseScheduleCommand(text: string): ScheduleCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const sub = (words[0] ?? '').toLowerCase();
  const rest = words.slice(1);
  switch (sub) {
    case '':
    case 'list':
      return rest.length === 0
        ? { kind: 'overview' }
        : { kind: 'error', problem: '`list` takes no arguments.' };
    case 'who':
      return { kind: 'who', words: rest };
    case 'override': {
      if (rest.length === 0) return { kind: 'override-modal' };
      const user = parseUserMention(rest[0]);
      if (user === undefined) {
        return {
          kind: 'error',
          problem:
            'Say who: `/oncall override @user <start> <end> [schedule]`, or `/oncall override` for a form.',
        };
      }
      return { kind: 'override', user, words: rest.slice(1) };
    }
    case 'swap': {
      const user = parseUserMention(rest[0]);
      if (user === undefined) {
        return { kind: 'error', problem: 'Say who to ask: `/oncall swap @user [<start> <end>] [schedule]`.' };
      }
      return { kind: 'swap', user, words: rest.slice(1) };
    }
    default:
      return { kind: 'error', problem: `Unknown subcommand \`${sub}\`.` };
  }
}

/**
 * Splits a trailing schedule id off `words` when it names one (any case): `[…times, schedule]`. Times never look
 * like a schedule id (`now`, `+2h` and dates do not collide with ids people choose… unless a schedule is named
 * `now`, in which case the word is read as the schedule).
 */
export function splitSchedule(
  words: readonly string[],
  scheduleIds: readonly string[],
): { words: string[]; schedule?: string } {
  const last = words.at(-1);
  const named =
    last === undefined ? undefined : scheduleIds.find((id) => id.toLowerCase() === last.toLowerCase());
  return named === undefined ? { words: [...words] } : { words: words.slice(0, -1), schedule: named };
}
