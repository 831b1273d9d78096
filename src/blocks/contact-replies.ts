/** Replies to `/oncall phone` (issue 19); numbers are only ever shown masked. */
import { maskPhone } from '../domain/phone.js';
import type { SetPhoneOutcome } from '../domain/phone-input.js';

export function ownPhoneText(phone: string | undefined): string {
  return phone === undefined
    ? 'ℹ️ You have not stored a phone number. Escalation policies call the number you give with `/oncall phone +81 90-1234-5678` (or a national number such as `090-1234-5678`).'
    : `📞 Escalation policies call you at ${maskPhone(phone)}. Change it with \`/oncall phone <number>\`.`;
}

export function phoneSetText(outcome: SetPhoneOutcome): string {
  if (!outcome.ok) {
    return '⚠️ That is not a phone number: give it with its country code (`+81 90-1234-5678`) or as a national number of DEFAULT_PHONE_REGION (`090-1234-5678`).';
  }
  const was =
    outcome.previous !== undefined && outcome.previous !== outcome.phone
      ? ` (was ${maskPhone(outcome.previous)})`
      : '';
  return `📞 Saved: escalation policies call you at ${maskPhone(outcome.phone)}${was}.`;
}
