/**
 * The on-call list: who gets called, in priority order (1 is called first). Pure list operations behind
 * `/oncall add|remove|move|edit`; the list itself is stored in the `Responders` table under one group id.
 * Priorities are kept contiguous (1..n) after every change, so "move to 1" always means "call first".
 */
import { isE164 } from './phone.js';

export interface OncallEntry {
  /** Slack user id. */
  userId: string;
  /** E.164, e.g. `+819012340001`. Shown only masked (`maskPhone`). */
  phone: string;
  priority: number;
}

export type OncallChange =
  | { ok: true; entries: OncallEntry[] }
  | { ok: false; reason: 'invalid_phone' | 'already_listed' | 'not_listed' | 'invalid_priority' };

/** By priority, then user id for a stable order among equal priorities. */
export function sortOncall(entries: readonly OncallEntry[]): OncallEntry[] {
  return [...entries].sort((a, b) => a.priority - b.priority || a.userId.localeCompare(b.userId));
}

/** Renumbers 1..n in the current order. */
export function renumber(entries: readonly OncallEntry[]): OncallEntry[] {
  return sortOncall(entries).map((entry, i) => ({ ...entry, priority: i + 1 }));
}

/** Adds at `priority` (default: last); everyone from that place down moves one down. */
export function addResponder(
  entries: readonly OncallEntry[],
  input: { userId: string; phone: string; priority?: number },
): OncallChange {
  if (!isE164(input.phone)) return { ok: false, reason: 'invalid_phone' };
  if (entries.some((e) => e.userId === input.userId)) return { ok: false, reason: 'already_listed' };
  if (input.priority !== undefined && !validPriority(input.priority))
    return { ok: false, reason: 'invalid_priority' };
  return {
    ok: true,
    entries: insertAt(renumber(entries), { userId: input.userId, phone: input.phone }, input.priority),
  };
}

export function removeResponder(entries: readonly OncallEntry[], userId: string): OncallChange {
  if (!entries.some((e) => e.userId === userId)) return { ok: false, reason: 'not_listed' };
  return { ok: true, entries: renumber(entries.filter((e) => e.userId !== userId)) };
}

/** Moves someone to `priority` (past the end means last). */
export function moveResponder(
  entries: readonly OncallEntry[],
  userId: string,
  priority: number,
): OncallChange {
  const entry = entries.find((e) => e.userId === userId);
  if (entry === undefined) return { ok: false, reason: 'not_listed' };
  if (!validPriority(priority)) return { ok: false, reason: 'invalid_priority' };
  const rest = renumber(entries.filter((e) => e.userId !== userId));
  return { ok: true, entries: insertAt(rest, { userId: entry.userId, phone: entry.phone }, priority) };
}

function insertAt(
  ordered: OncallEntry[],
  person: { userId: string; phone: string },
  priority: number | undefined,
): OncallEntry[] {
  const index = priority === undefined ? ordered.length : Math.min(priority - 1, ordered.length);
  const next = [...ordered.slice(0, index), { ...person, priority: 0 }, ...ordered.slice(index)];
  return next.map((e, i) => ({ ...e, priority: i + 1 }));
}

function validPriority(priority: number): boolean {
  return Number.isInteger(priority) && priority >= 1 && priority <= 999;
}
