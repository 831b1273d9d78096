/**
 * People's own phone numbers (issue 19): `/oncall phone +81 90-1234-5678` stores the caller's number, normalised
 * to E.164 for DEFAULT_PHONE_REGION (src/domain/phone-input.ts). The escalation's phone steps call the number a
 * person stored here, else the one the flat list has for them.
 */
import type { Clock } from '../domain/clock.js';
import { normalizePhone } from '../domain/phone-input.js';
import type { OncallService } from './oncall.js';
import type { ContactStore } from './ports/contact-store.js';
import type { SetPhoneOutcome } from '../domain/phone-input.js';

export type { SetPhoneOutcome } from '../domain/phone-input.js';

export interface ContactService {
  /** The user's stored number, if any. */
  phoneOf(userId: string): Promise<string | undefined>;
  setPhone(userId: string, input: string): Promise<SetPhoneOutcome>;
  /** Who can be called among `userIds`: their own number, else the flat list's; those with neither are left out. */
  phones(userIds: readonly string[]): Promise<Map<string, string>>;
}

export function createContactService(deps: {
  store: ContactStore;
  oncall: Pick<OncallService, 'list'>;
  clock: Clock;
  phoneRegion: string;
}): ContactService {
  const { store, clock } = deps;
  return {
    async phoneOf(userId) {
      return (await store.get(userId))?.phone;
    },
    async setPhone(userId, input) {
      const phone = normalizePhone(input, deps.phoneRegion);
      if (!phone.ok) return phone;
      const previous = (await store.get(userId))?.phone;
      await store.put({ userId, phone: phone.e164, updatedAt: clock.now() });
      return { ok: true, phone: phone.e164, ...(previous === undefined ? {} : { previous }) };
    },
    async phones(userIds) {
      const found = new Map<string, string>();
      if (userIds.length === 0) return found;
      const [own, listed] = await Promise.all([store.getMany(userIds), deps.oncall.list()]);
      for (const userId of userIds) {
        const phone = own.get(userId)?.phone ?? listed.find((e) => e.userId === userId)?.phone;
        if (phone !== undefined) found.set(userId, phone);
      }
      return found;
    },
  };
}
