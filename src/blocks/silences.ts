/**
 * Silences in Slack (issue 20): the one summary posted when a silence ends (what it held that is still firing),
 * the `/maintenance list` reply and App Home's section, and `/maintenance`'s usage. Pure.
 */
import type { Incident } from '../domain/incident.js';
import { stateOf, type Silence } from '../domain/silence.js';
import { Commands } from './ids.js';
import { actorText, mrkdwnText, SEVERITY_EMOJI, slackDate, slackTime } from './format.js';
import { context, section, type KnownBlock } from './kit.js';
import type { Reply } from './usage.js';

/** Incidents a summary lists before "…and N more" (a message holds 50 blocks; these go in sections of 10). */
export const SUMMARY_INCIDENTS_MAX = 40;
/** Silences a list shows. */
export const SILENCES_SHOWN = 15;

export const MAINTENANCE_USAGE = [
  `*${Commands.maintenance}* — maintenance windows (silences): alerts they match are stored, but post and page nothing`,
  '• `start 2h label:service=payments [comment]` — from now, for `30m`, `2h`, `1d`…, matchers `=`, `!=`, `=~`, `!~` over `source`, `severity`, `title`, `dedup_key`, `label:<name>` (several: one after another, all must match; quote a value with spaces: `title=~"disk .*"`)',
  '• `list` — the windows in force and to come',
  '• `end <id>` — end one now; what it held that is still firing is listed in one message',
  '`/incident silence [ID] 2h [comment]` silences one incident’s alert.',
].join('\n');

/** What it matches, as people read it. */
export function silenceTarget(silence: Silence): string {
  if (silence.fingerprint !== undefined) return `the alert of *${silence.incidentId ?? 'one incident'}*`;
  return silence.matchers.map((m) => `\`${mrkdwnText(m, 200)}\``).join(' ');
}

/** One line: id, what it matches, until when, by whom, why. */
export function silenceLine(silence: Silence, now: number): string {
  const state = stateOf(silence, now);
  const when =
    state === 'pending'
      ? `from ${slackTime(silence.startsAt, now)} until ${slackTime(silence.endsAt, now)}`
      : state === 'active'
        ? `until ${slackTime(silence.endsAt, now)}`
        : `ended ${slackDate(silence.expiredAt ?? silence.endsAt)}`;
  const comment = silence.comment === '' ? '' : ` — ${mrkdwnText(silence.comment, 200)}`;
  return `🔕 \`${silence.id}\` ${silenceTarget(silence)} · ${when} · by ${actorText(silence.createdBy)}${comment}`;
}

/** `/maintenance list` and App Home: the silences in force and to come. */
export function silenceListBlocks(silences: readonly Silence[], now: number): KnownBlock[] {
  const current = silences.filter((s) => stateOf(s, now) !== 'expired');
  if (current.length === 0) return [section('No silences or maintenance windows in force.')];
  const blocks: KnownBlock[] = current.slice(0, SILENCES_SHOWN).map((s) => section(silenceLine(s, now)));
  if (current.length > SILENCES_SHOWN) blocks.push(context([`…and ${current.length - SILENCES_SHOWN} more`]));
  return blocks;
}

export function buildSilenceList(silences: readonly Silence[], now: number): Reply {
  const blocks = [section(`*Silences and maintenance windows*`), ...silenceListBlocks(silences, now)];
  return { text: 'Silences and maintenance windows', blocks };
}

/** The summary posted once when a silence ends: every incident it held that is still firing. */
export function buildSilenceSummary(silence: Silence, incidents: readonly Incident[]): Reply {
  const n = incidents.length;
  const ended =
    silence.expiredAt === undefined ? 'ended' : `was ended by ${actorText(silence.expiredBy ?? '')}`;
  const headline = `🔔 Silence \`${silence.id}\` ${ended}: ${n} ${n === 1 ? 'alert it held is' : 'alerts it held are'} still firing`;
  const about = `${silenceTarget(silence)}${silence.comment === '' ? '' : ` — ${mrkdwnText(silence.comment, 300)}`}`;
  const sorted = [...incidents].sort((a, b) => a.number - b.number);
  const lines = sorted
    .slice(0, SUMMARY_INCIDENTS_MAX)
    .map(
      (i) =>
        `${SEVERITY_EMOJI[i.severity]} *${i.id}* ${mrkdwnText(i.title, 120)} · ${i.status} · seen ${i.count}×`,
    );
  const blocks: KnownBlock[] = [section(headline), context([about])];
  for (let i = 0; i < lines.length; i += 10) blocks.push(section(lines.slice(i, i + 10).join('\n')));
  if (n > SUMMARY_INCIDENTS_MAX) {
    blocks.push(context([`…and ${n - SUMMARY_INCIDENTS_MAX} more — \`/incident list\``]));
  }
  const text = `Silence ${silence.id} ended: ${n} still firing (${sorted
    .slice(0, 10)
    .map((i) => i.id)
    .join(', ')}${n > 10 ? ', …' : ''})`;
  return { text, blocks };
}

/** The answer to `/maintenance start` and `/incident silence`. */
export function silenceStartedText(silence: Silence, now: number): string {
  return `🔕 Silenced ${silenceTarget(silence)} until ${slackTime(silence.endsAt, now)} (\`${silence.id}\`): matching alerts are stored and counted, but post and page nothing. End it with \`/maintenance end ${silence.id}\`.`;
}

/** The answer to `/maintenance end`. */
export function silenceEndedText(
  id: string,
  outcome: { ok: true; summarised: number } | { ok: false; reason: 'not_found' | 'already_ended' },
): string {
  if (!outcome.ok) {
    return outcome.reason === 'not_found'
      ? `No silence \`${id}\` (see \`/maintenance list\`).`
      : `\`${id}\` has already ended.`;
  }
  const n = outcome.summarised;
  return n === 0
    ? `🔔 Ended \`${id}\`. Nothing it held is still firing.`
    : `🔔 Ended \`${id}\`. ${n} ${n === 1 ? 'alert it held is' : 'alerts it held are'} still firing: listed in one message in the alert channel.`;
}
