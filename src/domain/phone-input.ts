/**
 * Phone numbers as people type them (`/oncall phone`, `/oncall add`, issue 19): E.164 (`+81 90-1234-5678`) or a
 * national number of DEFAULT_PHONE_REGION (`090-1234-5678` in Japan), normalised to E.164 by libphonenumber-js
 * (Google's libphonenumber metadata), never by hand-written rules. Pure. Only the `slack` Lambda function reads typed
 * numbers, so only its bundle carries libphonenumber-js (scripts/build-lambda.ts).
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { DEFAULT_PHONE_REGION } from './phone.js';

export type PhoneInput =
  { ok: true; e164: string } | { ok: false; reason: 'invalid_phone' | 'not_a_phone_number' };

/** An ISO 3166-1 alpha-2 region libphonenumber knows (`JP`, `US`, `DE`…), upper-cased; undefined if not. */
export function phoneRegion(value: string): CountryCode | undefined {
  const upper = value.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && isSupportedCountry(upper) ? upper : undefined;
}

/** `+81 90-1234-5678`, `+819012345678`, `090 1234 5678` (in the default region) → `+819012345678`. */
export function normalizePhone(input: string, region: string = DEFAULT_PHONE_REGION): PhoneInput {
  const text = input.trim();
  if (!/\d/.test(text)) return { ok: false, reason: 'not_a_phone_number' };
  const country = phoneRegion(region);
  const parsed = parsePhoneNumberFromString(
    text,
    country === undefined ? undefined : { defaultCountry: country },
  );
  if (parsed === undefined || !parsed.isValid()) return { ok: false, reason: 'invalid_phone' };
  return { ok: true, e164: parsed.number };
}

/** What storing your own number (`/oncall phone`) came to. */
export type SetPhoneOutcome =
  | { ok: true; phone: string; previous?: string }
  | { ok: false; reason: 'invalid_phone' | 'not_a_phone_number' };
