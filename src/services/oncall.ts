/**
 * The on-call list (who Hikeshi phones, in priority order), stored in the seed's `Responders` table under
 * one group id. Each change is a pure list operation from src/domain/oncall.ts written back on the
 * version it was read at, so two people editing at once never lose each other's change.
 */
import {
  addResponder,
  moveResponder,
  removeResponder,
  renumber,
  sortOncall,
  type OncallChange,
  type OncallEntry,
} from '../domain/oncall.js';
import { normalizePhone } from '../domain/phone-input.js';
import { ErrorCode, isAppError } from '../errors.js';
import type { RespondersStore } from './ports/responders-store.js';

export interface OncallService {
  list(): Promise<OncallEntry[]>;
  add(input: { userId: string; phone: string; priority?: number }): Promise<OncallChange>;
  remove(userId: string): Promise<OncallChange>;
  move(userId: string, priority: number): Promise<OncallChange>;
  /** Replaces the whole list (the edit modal). */
  replace(entries: readonly OncallEntry[]): Promise<OncallEntry[]>;
}

const MAX_ATTEMPTS = 10;

export function createOncallService(deps: {
  responders: RespondersStore;
  groupId: string;
  /** DEFAULT_PHONE_REGION: the region of numbers typed without a country code (default JP). */
  phoneRegion?: string;
}): OncallService {
  const { responders, groupId } = deps;

  const toEntries = (list: readonly { userId: string; phone: string; priority: number }[]): OncallEntry[] =>
    sortOncall(list.map((r) => ({ userId: r.userId, phone: r.phone, priority: r.priority })));

  async function change(apply: (entries: OncallEntry[]) => OncallChange): Promise<OncallChange> {
    for (let attempt = 1; ; attempt += 1) {
      const { responders: stored, version } = await responders.get(groupId);
      const result = apply(toEntries(stored));
      if (!result.ok) return result;
      try {
        await responders.save(groupId, result.entries, version);
        return result;
      } catch (error) {
        if (isAppError(error) && error.code === ErrorCode.Conflict && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  return {
    async list() {
      return toEntries(await responders.list(groupId));
    },
    add: (input) => {
      // `+81 90-1234-5678` and national numbers (`090-1234-5678`) are stored as E.164 (issue 19).
      const phone = normalizePhone(input.phone, deps.phoneRegion);
      if (!phone.ok) return Promise.resolve({ ok: false, reason: 'invalid_phone' });
      return change((entries) => addResponder(entries, { ...input, phone: phone.e164 }));
    },
    remove: (userId) => change((entries) => removeResponder(entries, userId)),
    move: (userId, priority) => change((entries) => moveResponder(entries, userId, priority)),
    async replace(entries) {
      const next = renumber(entries);
      const { version } = await responders.get(groupId);
      await responders.save(groupId, next, version);
      return next;
    },
  };
}
