/**
 * Phone numbers: E.164 validation and the masked form shown everywhere but the Connect API call itself
 * (`+81-***-***-0001`).
 */
const E164 = /^\+[1-9]\d{6,14}$/;

/** DEFAULT_PHONE_REGION's default: numbers typed without a country code are Japanese (issue 19). */
export const DEFAULT_PHONE_REGION = 'JP';

export function isE164(value: string): boolean {
  return E164.test(value);
}

// ITU-T E.164 country codes whose length is not 2 digits. Zones 1 and 7 are single-digit; the
// listed 3-digit prefixes cover Africa, parts of Europe, Latin America, Oceania and Asia.
const THREE_DIGIT_PREFIXES = [
  /^2[1-9]/, // 2xx except 20 and 27
  /^3[5-8]/, // 350-389 minus a few 2-digit ones handled below
  /^42/,
  /^5[09]/,
  /^6[7-9]/,
  /^8[0578]/,
  /^9[679]/,
];
const TWO_DIGIT_EXCEPTIONS = new Set(['20', '27', '36', '39']);

export function countryCodeOf(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  const two = digits.slice(0, 2);
  if (TWO_DIGIT_EXCEPTIONS.has(two)) return two;
  if (THREE_DIGIT_PREFIXES.some((re) => re.test(digits))) return digits.slice(0, 3);
  return two;
}

/** `+819012340001` → `+81-***-***-0001`. Anything that is not E.164 is fully hidden. */
export function maskPhone(value: string): string {
  if (!isE164(value)) return '***';
  const digits = value.slice(1);
  return `+${countryCodeOf(value)}-***-***-${digits.slice(-4)}`;
}

// A phone number in free text: either a compact run (`+819012340001`, however long, so a number glued to
// more digits is not left in clear) or the written form people paste into modals and alerts, groups joined
// by a space, dot, hyphen or parentheses (`+81 90-1234-0001`, `+1 (415) 555-0123`). A leading `+` is
// required, so dates, times, offsets and plain counters are left alone.
const PHONE_IN_TEXT = /\+[1-9]\d{6,}|\+[1-9]\d{0,5}(?:(?:[ .-]| ?\(|\)[ .-]?)\d+)+/g;

/**
 * Replaces every phone number inside free text with its masked form: `+81-***-***-0001`, or `***` when the
 * digits are too many for E.164. Runs of fewer than 7 digits are not phone numbers and stay as they are.
 */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length < 7 ? match : maskPhone(`+${digits}`);
  });
}
