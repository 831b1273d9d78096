/**
 * Text helpers shared by the Block Kit builders: mrkdwn escaping, safe truncation, mentions, Slack date tokens
 * and the severity look (emoji, attachment colour).
 * https://docs.slack.dev/messaging/formatting-message-text
 */
import type { Severity } from '../domain/alert.js';

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters. Everything user- or sender-supplied
 * goes through this before it lands in mrkdwn, so `<!channel>` or `<https://evil|bank>` in an alert title stays
 * text. (`*`, `_`, `~` and backticks cannot be escaped in mrkdwn; they are left alone.)
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts `text` to at most `max` UTF-16 code units, ending in `…` when cut. Never splits a surrogate pair, nor an
 * HTML entity produced by `escapeMrkdwn` (a dangling `&am` would show up literally).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? '…' : '';
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  return `${cut}…`;
}

/** Escape, then truncate: the usual path for user text into a mrkdwn field with a length limit. */
export function mrkdwnText(text: string, max: number): string {
  return truncate(escapeMrkdwn(text), max);
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

export function isSlackUserId(value: string): boolean {
  return SLACK_USER_ID.test(value);
}

/**
 * How an actor is shown: `<@U…>` for a Slack user, `_alertmanager:ops_ (automatic)` for `system:<source>`,
 * escaped text otherwise.
 */
export function actorText(actor: string): string {
  if (isSlackUserId(actor)) return `<@${actor}>`;
  if (actor.startsWith('system:')) return `_${escapeMrkdwn(actor.slice('system:'.length))}_ (automatic)`;
  return escapeMrkdwn(actor);
}

export function mentions(userIds: readonly string[]): string {
  return userIds.map(actorText).join(' ');
}

/**
 * A Slack date token: every reader sees the time in their own time zone, e.g. "Jan 1, 2026 09:00". The fallback
 * (clients that cannot render it) is UTC.
 * https://docs.slack.dev/messaging/formatting-message-text#date-formatting
 */
export function slackDate(isoTime: string): string {
  const ms = Date.parse(isoTime);
  if (Number.isNaN(ms)) return escapeMrkdwn(isoTime);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/**
 * A time of day as a Slack date token ("14:30" in each reader's time zone); more than 20 hours away, the date
 * too ("Tomorrow 14:30"). The fallback is UTC.
 */
export function slackTime(isoTime: string, now?: number): string {
  const ms = Date.parse(isoTime);
  if (Number.isNaN(ms)) return escapeMrkdwn(isoTime);
  const fallback = `${new Date(ms).toISOString().slice(11, 16)} UTC`;
  const far = now !== undefined && Math.abs(ms - now) > 20 * 3_600_000;
  const format = far ? '{date_short_pretty} {time}' : '{time}';
  return `<!date^${Math.floor(ms / 1000)}^${format}|${far ? `${new Date(ms).toISOString().slice(0, 10)} ` : ''}${fallback}>`;
}

/** "3 hours ago" as a Slack date token, so it stays true however long the message is read after. */
export function slackAgo(isoTime: string): string {
  const ms = Date.parse(isoTime);
  if (Number.isNaN(ms)) return escapeMrkdwn(isoTime);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{ago}|${fallback}>`;
}

/** Shared with the domain (timeline texts), which cannot import blocks. */
export { formatDuration } from '../domain/duration.js';

export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: '🔴',
  error: '🟠',
  warning: '🟡',
  info: '🔵',
};

/** Attachment bar colours matching the emoji. */
export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#E01E5A',
  error: '#F2952F',
  warning: '#ECB22E',
  info: '#36C5F0',
};

/** A resolved incident's bar turns green whatever its severity. */
export const RESOLVED_COLOR = '#2EB67D';

/**
 * A link as mrkdwn, with the URL made safe for Slack's `<url|label>` syntax: the characters that would end or
 * split the sequence are percent-encoded, and `&` is escaped like everywhere else in mrkdwn (Slack decodes it back).
 */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[|<> ]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  return `<${safeUrl}|${truncate(safeLabel, 200)}>`;
}

/** A details value as short text: strings as they are, everything else as compact JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
