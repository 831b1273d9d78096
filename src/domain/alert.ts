/**
 * Alert signals: the one shape every ingress format (generic JSON, Alertmanager, SNS/CloudWatch, Events v2) is
 * turned into, plus the two rules that decide folding: title normalisation and the fingerprint.
 * Pure: no I/O, no clock.
 */
import { createHash } from 'node:crypto';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const SEVERITY_RANK: Record<Severity, number> = { critical: 3, error: 2, warning: 1, info: 0 };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Higher is worse: critical 3, error 2, warning 1, info 0. */
export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** True when `a` is as severe as `b` or worse, e.g. `severityAtLeast('critical', 'error')`. */
export function severityAtLeast(a: Severity, b: Severity): boolean {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b];
}

/** The worse of the two. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityAtLeast(a, b) ? a : b;
}

/** The severity of an incident opened by a signal that did not say (generic `severity` left out, a job failure). */
export const DEFAULT_SEVERITY: Severity = 'error';

/**
 * The severity after a repeat: raised to the signal's when it is worse, never lowered, and kept when the signal
 * does not say. A default is applied only when an incident opens (`DEFAULT_SEVERITY`), never to a repeat: a
 * repeat without a severity must not turn a warning into an `error` (and start phone calls at
 * ESCALATE_SEVERITY=error).
 */
export function repeatSeverity(current: Severity, signal: Pick<AlertSignal, 'severity'>): Severity {
  return signal.severity === undefined ? current : maxSeverity(current, signal.severity);
}

export type AlertAction = 'trigger' | 'acknowledge' | 'resolve';

export interface AlertLink {
  title: string;
  url: string;
}

export interface AlertSignal {
  action: AlertAction;
  title: string;
  message?: string;
  /** What the sender said; undefined when it said nothing (see `repeatSeverity` and `DEFAULT_SEVERITY`). */
  severity?: Severity;
  source?: string;
  dedupKey?: string;
  details?: Record<string, unknown>;
  links: AlertLink[];
  /** When the sender says the event happened (ISO 8601, UTC), if it said so. */
  occurredAt?: string;
  /**
   * Names one firing of the alert (Alertmanager: the alert's `startsAt`). A signal whose firing the incident
   * has already counted is a re-notification, not a new firing: it changes nothing. Undefined: every trigger
   * counts.
   */
  firingId?: string;
  /**
   * How many firings this one signal stands for (default 1): a sender that already folded its repeats says so
   * here, e.g. one CloudWatch Logs batch with a thousand lines of one bug is one signal with count 1000, one write.
   */
  count?: number;
  /**
   * Labels routing may match (`label:<name>`) that are not stored with the incident: the Events v2 `routing_key`,
   * the Alertmanager `receiver` (src/domain/routing.ts).
   */
  routingLabels?: Record<string, string>;
}

/** The firings a signal stands for: its `count`, at least 1. */
export function firingsOf(signal: Pick<AlertSignal, 'count'>): number {
  const count = signal.count ?? 1;
  return Number.isSafeInteger(count) && count > 1 ? count : 1;
}

// Volatile tokens, masked so that repeats of one problem fold into one incident. Applied to the lowercased,
// whitespace-collapsed title, in this order (earlier patterns contain what later ones would match):
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
// ISO 8601 dates and date-times, with optional fraction and zone (`t` because the title is lowercased).
const ISO_TIMESTAMP =
  /\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}(?::?\d{2})?)?)?\b/g;
// `0x`-prefixed hex of any length: addresses and codes (`0x7ffd5fbff8a0`, `0xC0000005`).
const HEX_LITERAL = /\b0x[0-9a-f]+\b/g;
// Hex ids of 8+ characters that contain at least one digit: `0abc123def`, `deadbeef01`, git SHAs. Requiring a
// digit keeps ordinary words made of a-f letters ("acceded") intact.
const HEX_ID = /\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/g;
// Stand-alone numbers (91, 91.5, -3): counts, percentages, durations. Digits glued to letters (`web01`,
// `prod-datapipe03`) are not stand-alone and stay, because they usually name a host rather than measure it.
const NUMBER = /(?<![a-z0-9_])[-+]?\d+(?:[.,]\d+)*(?![a-z0-9_])/g;

/**
 * The folding key's title part: trimmed, lowercased, whitespace collapsed, and volatile tokens masked —
 * UUIDs → `<uuid>`, ISO timestamps → `<ts>`, `0x…` literals and hex ids (8+ chars with a digit) → `<hex>`,
 * stand-alone numbers → `#`.
 * So "Disk 91% on i-0abc123def" and "Disk 92% on i-0abc123def" both become "disk #% on i-<hex>".
 *
 * The trade-off, chosen deliberately: two alerts differing only in such a token (two instance ids, two request
 * ids) fold into one incident. That is what stops an alert storm from opening hundreds of incidents; a sender
 * that wants them apart says so with `dedup_key` or a distinct `source`.
 */
export function normalizeTitle(title: string): string {
  return title
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(UUID, '<uuid>')
    .replace(ISO_TIMESTAMP, '<ts>')
    .replace(HEX_LITERAL, '<hex>')
    .replace(HEX_ID, '<hex>')
    .replace(NUMBER, '#');
}

/** The readable string a fingerprint is hashed from when there is no dedup key: `source|normalised title`. */
export function fingerprintBasis(signal: Pick<AlertSignal, 'title' | 'source'>): string {
  return `${signal.source ?? ''}|${normalizeTitle(signal.title)}`;
}

/**
 * The key that folds repeats into one open incident.
 * - With a `dedupKey`, the key itself, verbatim: Events v2 senders acknowledge and resolve by the same
 *   `dedup_key`, and Hikeshi echoes it back, so it must round-trip unchanged.
 * - Otherwise `sha256(source|normalised title)` in hex: a fixed 64-character key whatever the title's length or
 *   script, safe for DynamoDB key limits and free of user text. `fingerprintBasis` gives the readable form.
 */
export function fingerprintOf(signal: Pick<AlertSignal, 'title' | 'source' | 'dedupKey'>): string {
  if (signal.dedupKey !== undefined && signal.dedupKey !== '') return signal.dedupKey;
  return createHash('sha256').update(fingerprintBasis(signal), 'utf8').digest('hex');
}

/** A sender's timestamp as ISO 8601 UTC, or undefined when it is missing, unparseable or a zero value. */
export function toIsoTimestamp(value: string | undefined | null): string | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  // Alertmanager sends `0001-01-01T00:00:00Z` for "not set"; anything before 1971 is a placeholder.
  if (Number.isNaN(ms) || ms < Date.UTC(1971, 0, 1)) return undefined;
  return new Date(ms).toISOString();
}
