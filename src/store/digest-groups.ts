/**
 * A storm digest's groups as stored on its item (digests-repository.ts): a map from the group's key (its source and
 * label) to `{ source?, label?, count, <severity>: true… }`, a flag per severity seen (the worst is shown), at most
 * DIGEST_GROUPS_KEPT of them; members of further groups are counted in `ungrouped`. Each way of counting a member
 * is a part of its one conditional write, the condition telling which way applies.
 */
import type { Severity } from '../domain/alert.js';
import {
  DIGEST_GROUPS_KEPT,
  groupKeyOf,
  worseSeverity,
  type DigestGroup,
  type DigestMember,
} from '../domain/digest.js';

const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

export const numberOf = (value: unknown) => (typeof value === 'number' ? value : 0);

/** A stored group: `{ source?, label?, count, <severity>: true… }` (a flag per severity seen, the worst shown). */
export function toGroup(entry: Record<string, unknown>): DigestGroup {
  const seen = SEVERITIES.filter((s) => entry[s] === true);
  return {
    ...(typeof entry['source'] === 'string' ? { source: entry['source'] } : {}),
    ...(typeof entry['label'] === 'string' ? { label: entry['label'] } : {}),
    count: numberOf(entry['count']),
    severity: seen.reduce(worseSeverity, seen[0] ?? 'info'),
  };
}

/** How a member's group is counted: its group is kept, is new with room left, or is past the kept groups. */
export type GroupWay = 'kept' | 'new' | 'past';

export function groupWrite(way: GroupWay, member: DigestMember) {
  const names = { '#groups': 'groups', '#g': groupKeyOf(member) };
  if (way === 'kept')
    return {
      set: ', #groups.#g.#n = #groups.#g.#n + :one, #groups.#g.#sev = :true',
      add: '',
      condition: 'attribute_exists(#groups.#g)',
      names: { ...names, '#n': 'count', '#sev': member.severity },
      values: { ':true': true },
    };
  const entry = {
    ...(member.source === undefined ? {} : { source: member.source }),
    ...(member.label === undefined ? {} : { label: member.label }),
    count: 1,
    [member.severity]: true,
  };
  if (way === 'new')
    return {
      set: ', #groups.#g = :entry',
      add: '',
      condition: 'attribute_not_exists(#groups.#g) AND size(#groups) < :kept',
      names,
      values: { ':entry': entry, ':kept': DIGEST_GROUPS_KEPT },
    };
  return {
    set: '',
    add: ', #ungrouped :one',
    condition: 'attribute_not_exists(#groups.#g) AND size(#groups) >= :kept',
    names: { ...names, '#ungrouped': 'ungrouped' },
    values: { ':kept': DIGEST_GROUPS_KEPT },
  };
}
