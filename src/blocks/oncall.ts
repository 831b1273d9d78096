/**
 * The on-call list as Slack text: priority order, people as mentions, phones masked (`+81-***-***-0001`).
 * The full number is never shown in Slack; only the Connect call itself uses it.
 */
import { sortOncall, type OncallEntry } from '../domain/oncall.js';
import { maskPhone } from '../domain/phone.js';
import { actorText, truncate } from './format.js';
import { section, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';
import type { Reply } from './usage.js';

export const EMPTY_ONCALL_TEXT = 'No one is on call. Add someone with `/oncall add @user +81… [priority]`.';

/** `1. <@U…> +81-***-***-0001` per line, in priority order. */
export function oncallLines(entries: readonly OncallEntry[]): string[] {
  return sortOncall(entries).map(
    (entry, i) => `${i + 1}. ${actorText(entry.userId)} ${maskPhone(entry.phone)}`,
  );
}

export function oncallListText(entries: readonly OncallEntry[]): string {
  if (entries.length === 0) return EMPTY_ONCALL_TEXT;
  return truncate(oncallLines(entries).join('\n'), Limits.sectionText);
}

/** `/oncall` with no argument. */
export function buildOncallList(entries: readonly OncallEntry[]): Reply {
  const blocks: KnownBlock[] = [
    section('*On call now* (called in this order)'),
    section(oncallListText(entries)),
  ];
  const text = entries.length === 0 ? EMPTY_ONCALL_TEXT : `On call now:\n${oncallListText(entries)}`;
  return { text, blocks };
}
