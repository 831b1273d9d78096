/**
 * A storm digest's message (src/domain/digest.ts): "+37 incidents", grouped by source and label, the first few
 * titles, and a button that lists them all (digest-list.ts). It is edited in place as incidents join, so it is
 * built from the stored digest alone; its incidents' own state (acknowledged, resolved) is in the list, read
 * when it is opened.
 */
import {
  DIGEST_FIRST_KEPT,
  firstInOrder,
  groupsInOrder,
  type Digest,
  type DigestGroup,
} from '../domain/digest.js';
import { Actions } from './ids.js';
import { escapeMrkdwn, mrkdwnText, SEVERITY_EMOJI, slackDate } from './format.js';
import { actions, button, context, section, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';

/** Groups shown before "…and N more groups". */
export const DIGEST_GROUPS_SHOWN = 8;
/** Titles shown, the first incidents of the storm. */
export const DIGEST_TITLES_SHOWN = DIGEST_FIRST_KEPT;

export const DigestBlockIds = {
  summary: 'digest_summary',
  groups: 'digest_groups',
  titles: 'digest_titles',
  actions: 'digest_actions',
} as const;

export interface DigestMessage {
  text: string;
  blocks: KnownBlock[];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function groupLine(group: DigestGroup): string {
  const parts = [group.source, group.label].filter((p): p is string => p !== undefined);
  const name = parts.length === 0 ? '_no source or label_' : parts.map((p) => mrkdwnText(p, 80)).join(' · ');
  return `${SEVERITY_EMOJI[group.severity]} ${name} — *${group.count}*`;
}

/** Lines that fit one section text, ending with "…and N more" when some did not. */
function fitLines(lines: readonly string[], max: number, more: (left: number) => string): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    const left = lines.length - i;
    const tail = i === lines.length - 1 ? 0 : more(left - 1).length + 1;
    if (length + line.length + 1 + tail > max) {
      kept.push(more(left));
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

export function buildDigestMessage(digest: Digest): DigestMessage {
  const first = firstInOrder(digest);
  const count = digest.count;
  const incidents = plural(count, 'incident', 'incidents');
  const since = slackDate(digest.minute);
  const blocks: KnownBlock[] = [
    section(
      `🌩️ *Alert storm: +${incidents}* opened from ${since}, shown here instead of one message each.`,
      DigestBlockIds.summary,
    ),
  ];

  const groups = groupsInOrder(digest.groups);
  const groupLines = groups.slice(0, DIGEST_GROUPS_SHOWN).map(groupLine);
  if (groups.length > DIGEST_GROUPS_SHOWN)
    groupLines.push(`…and ${plural(groups.length - DIGEST_GROUPS_SHOWN, 'more group', 'more groups')}`);
  // Past DIGEST_GROUPS_KEPT groups the digest counts the rest together (its record stays small).
  if (digest.ungrouped > 0)
    groupLines.push(`…and ${plural(digest.ungrouped, 'incident', 'incidents')} in further groups`);
  blocks.push(
    section(
      fitLines(['*By source and label*', ...groupLines], Limits.sectionText, (n) => `…and ${n} more`),
      DigestBlockIds.groups,
    ),
  );

  const titles = first
    .slice(0, DIGEST_TITLES_SHOWN)
    .map(
      (m) =>
        `${SEVERITY_EMOJI[m.severity]} *${escapeMrkdwn(m.id)}* ${mrkdwnText(m.title, 200)}${m.reopened ? ' _(reopened)_' : ''}`,
    );
  if (count > DIGEST_TITLES_SHOWN) titles.push(`…and ${count - DIGEST_TITLES_SHOWN} more`);
  blocks.push(section(['*First incidents*', ...titles].join('\n'), DigestBlockIds.titles));

  blocks.push(
    context([
      'Each one is in `/incident list` and App Home and is escalated as usual. Open one from the list to give it its own message and buttons; one that escalates, or that someone acts on, gets its own message too.',
    ]),
    actions([button(`List all ${count}`, Actions.digestList, digest.id, 'primary')], DigestBlockIds.actions),
  );

  const oldest = first[0];
  const text = `Alert storm: +${incidents} since ${digest.minute.slice(11, 16)} UTC${
    oldest === undefined ? '' : ` (first: ${oldest.id} ${escapeMrkdwn(oldest.title)})`
  }`;
  return { text: mrkdwnText(text, Limits.textObject), blocks };
}
