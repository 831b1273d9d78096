/**
 * What an alert sender controls, made safe to store (issue 11, found by the ingress fuzz tests): an alert's
 * `details` are free JSON and its `message` free text, and DynamoDB refuses what JSON allows:
 * - numbers beyond ±2^53 (the SDK will not convert them without losing digits) or outside DynamoDB's range
 *   (magnitudes 1E-130 to 9.9E125), e.g. `5e-324` or `1e308`;
 * - nesting deeper than 32 levels;
 * - empty map keys;
 * - items over 400 KB.
 * Each used to fail the whole write, which the sender saw as a 500 and retried forever. Such values are kept
 * as text instead (the number as written, a deep value as a placeholder), and the whole is capped in size.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-data-types
 */
import type { AlertLink, AlertSignal } from './alert.js';

/** Longest `message` stored (Slack shows far less; the sender keeps the original). */
export const MESSAGE_MAX = 8000;
/** Nesting kept inside `details` (the incident item adds one more level; DynamoDB allows 32). */
export const DETAILS_DEPTH_MAX = 8;
/** Size of `details` as JSON text, in characters: the incident item must stay far below 400 KB. */
export const DETAILS_JSON_MAX = 16 * 1024;
/** Longest link title kept, and longest URL (a longer one is not a link anyone can follow). */
export const LINK_TITLE_MAX = 300;
export const LINK_URL_MAX = 2048;
/** Longest string value or key kept in `details`. */
export const DETAIL_TEXT_MAX = 2000;

const DYNAMO_MIN = 1e-130;
const DYNAMO_MAX = 9.9e125;

export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half: half a character is not valid UTF-8.
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A number DynamoDB and the SDK store exactly; anything else is kept as the text it was. */
function storableNumber(value: number): number | string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return Number.isSafeInteger(value) ? value : String(value);
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= DYNAMO_MIN && magnitude <= DYNAMO_MAX) ? value : String(value);
}

function storableValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return clipText(value, DETAIL_TEXT_MAX);
  if (typeof value === 'number') return storableNumber(value);
  if (typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) {
    if (depth >= DETAILS_DEPTH_MAX) return `[list nested deeper than ${DETAILS_DEPTH_MAX} levels]`;
    return value.map((item) => storableValue(item, depth + 1));
  }
  if (typeof value === 'object') {
    if (depth >= DETAILS_DEPTH_MAX) return `[object nested deeper than ${DETAILS_DEPTH_MAX} levels]`;
    return storableRecord(value as Record<string, unknown>, depth + 1);
  }
  return String(value); // undefined, bigint, function: not from JSON, kept readable anyway
}

function storableRecord(record: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const name = key === '' ? '(empty)' : clipText(key, DETAIL_TEXT_MAX);
    // `__proto__` as an own key from JSON.parse must stay data, never become the prototype.
    Object.defineProperty(out, name, {
      value: storableValue(value, depth),
      enumerable: true,
      writable: true,
    });
  }
  return out;
}

/**
 * `details` DynamoDB accepts, at most DETAILS_JSON_MAX characters as JSON: fields are kept in order until the budget is
 * spent, and a `…` field says how many were left out.
 */
export function storableDetails(details: Record<string, unknown>): Record<string, unknown> {
  const safe = storableRecord(details, 1);
  const out: Record<string, unknown> = {};
  let size = 2;
  const entries = Object.entries(safe);
  for (const [index, [key, value]] of entries.entries()) {
    const cost = JSON.stringify(key).length + JSON.stringify(value).length + 2;
    if (size + cost > DETAILS_JSON_MAX) {
      out['…'] =
        `${entries.length - index} more field(s) left out (details over ${DETAILS_JSON_MAX} characters)`;
      break;
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true });
    size += cost;
  }
  return out;
}

/** The sender-controlled fields of a signal, ready to store: message clipped, details made storable, links bounded. */
export function storableFields(signal: Pick<AlertSignal, 'message' | 'details' | 'links'>): {
  message?: string;
  details?: Record<string, unknown>;
  links: AlertLink[];
} {
  return {
    ...(signal.message !== undefined ? { message: clipText(signal.message, MESSAGE_MAX) } : {}),
    ...(signal.details !== undefined ? { details: storableDetails(signal.details) } : {}),
    links: signal.links
      .filter((link) => link.url.length <= LINK_URL_MAX)
      .map((link) => ({ title: clipText(link.title, LINK_TITLE_MAX), url: link.url })),
  };
}
