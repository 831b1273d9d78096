/**
 * Help and error replies for the slash commands. An unknown id or bad syntax gets the problem plus the usage, as
 * an ephemeral message, and nothing changes.
 */
import { Commands } from './ids.js';
import { escapeMrkdwn } from './format.js';
import { section, type KnownBlock } from './kit.js';

export const INCIDENT_USAGE = [
  `*${Commands.incident}* — incidents`,
  '• `list` — open incidents, newest first',
  '• `show ID` — one incident, with its recent timeline',
  '• `ack ID` — acknowledge',
  '• `resolve [ID] [note]` — resolve, with an optional note',
  '• `snooze [ID] 30m` — pause phone escalation (`2h`, `1d`; `off` ends it)',
  '• `severity [ID] critical` — change the severity (`error`, `warning`, `info`)',
  '• `silence [ID] 2h [comment]` — its alert posts and pages nothing for that long (`/maintenance` for more)',
  '• `policy [ID] payments` — change its escalation policy (`responders`: the flat list); it starts from step 1',
  '• `analyze [ID]` — ask the Bedrock Agent (or the local analyser) about it, answered in its thread',
  '• `report [ID]` — summarise its thread into a Confluence page (or a local HTML report)',
  '• `calls [ID]` — phone calls made for it',
  '• `new` — open an incident by hand',
  '• `help` — this message',
  'IDs look like `INC-42`; `42` works too. Inside an incident’s thread, mention me instead and leave the ID out: `@hikeshi ack`, `@hikeshi snooze 30m`; or use the message shortcut _Acknowledge incident_ (⋮ on any message of the thread).',
].join('\n');

export const ONCALL_USAGE = [
  `*${Commands.oncall}* — who is on call, and who gets called`,
  '• (no argument) — now and next for every schedule, then the flat list in priority order',
  '• `who [schedule] [time]` — who is on call (now, `+2h`, `2027-03-10 10:00`, or ISO 8601 with an offset), with the schedule’s calendar feed',
  '• `override @user <start> <end> [schedule]` — someone else is on call for that time (`override` alone: a form)',
  '• `swap @user [<start> <end>] [schedule]` — ask someone to take that time (default: your current or next shift)',
  '• `phone +81 90-1234-5678` — your own number, which escalation policies call (a national number such as `090-1234-5678` is read for DEFAULT_PHONE_REGION)',
  '• `add @user +81… [priority]` — add someone to the flat list (`+81 90-1234-5678`, or a national number)',
  '• `remove @user` — take someone off the list',
  '• `move @user <priority>` — change someone’s place (1 is called first)',
  '• `edit` — edit the whole list in a form',
].join('\n');

export interface Reply {
  text: string;
  blocks: KnownBlock[];
}

/** An ephemeral reply: the problem (when there is one, escaped), then the usage. */
export function usageReply(usage: string, problem?: string): Reply {
  if (problem === undefined) return { text: usage, blocks: [section(usage)] };
  const headline = `⚠️ ${escapeMrkdwn(problem)}`;
  return { text: `${headline}\n${usage}`, blocks: [section(headline), section(usage)] };
}
