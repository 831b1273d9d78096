/**
 * Members written on their digest page but still in the digest's `pending` (digests-repository.ts), kept per digest
 * so that the next count of that digest takes them out in its own write (`REMOVE #pending.<id>…`): in a storm a
 * member costs one write of the digest's item, not two. What no count takes soon is taken out by one write of its
 * own (`flush`). Losing them (a crash) costs nothing but a few bytes: a restart finishes pending members anyway.
 */

/** Most members one write takes out (each is a name in the expression, which DynamoDB caps at 4 KB). */
export const SETTLED_PER_WRITE = 50;

/** `REMOVE #pending.#s0, …` for these members, with its names; empty for none. */
export function removeFromPending(memberIds: readonly string[]): {
  remove: string;
  names: Record<string, string>;
} {
  const names = Object.fromEntries(memberIds.map((m, i) => [`#s${i}`, m]));
  const paths = Object.keys(names).map((n) => `#pending.${n}`);
  return { remove: paths.length === 0 ? '' : `REMOVE ${paths.join(', ')}`, names };
}

export function createSettledMembers(options: {
  /** Takes these members out of the digest's `pending` in one write. */
  flush: (digestId: string, memberIds: readonly string[]) => Promise<unknown>;
  /** How long they may wait for a count to take them. */
  delayMs: number;
}) {
  const waiting = new Map<string, string[]>();
  let timer: NodeJS.Timeout | undefined;

  async function flushAll(): Promise<void> {
    timer = undefined;
    for (const id of [...waiting.keys()]) {
      const ids = take(id);
      if (ids.length === 0) continue;
      // Kept for the next try when it fails (the store is down): they are harmless meanwhile.
      await options.flush(id, ids).catch(() => giveBack(id, ids));
    }
  }

  function schedule(): void {
    if (timer !== undefined) return;
    timer = setTimeout(() => void flushAll(), options.delayMs);
    timer.unref();
  }

  function take(id: string): string[] {
    const ids = waiting.get(id);
    if (ids === undefined) return [];
    const taken = ids.splice(0, SETTLED_PER_WRITE);
    if (ids.length === 0) waiting.delete(id);
    return taken;
  }

  function giveBack(id: string, ids: readonly string[]): void {
    if (ids.length === 0) return;
    waiting.set(id, [...ids, ...(waiting.get(id) ?? [])]);
    schedule();
  }

  return {
    /** The member is written on its page: out of `pending` with the digest's next write. */
    add(id: string, memberId: string): void {
      giveBack(id, [memberId]);
    },
    /** Members to take out in a write of the digest about to be made (give them back if it fails). */
    take,
    giveBack,
  };
}
