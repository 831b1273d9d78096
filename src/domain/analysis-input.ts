/**
 * What the Bedrock agent (or the local analyser) is asked: the incident's facts and its recent Slack thread, as
 * plain text. Pure. InvokeAgent accepts at most 25,000 characters of `inputText`
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_InvokeAgent.html), so each part is
 * clipped and the oldest thread messages are dropped first when the whole would not fit.
 */
import type { Incident } from './incident.js';

/** InvokeAgent's limit, minus a margin. */
export const AGENT_INPUT_MAX = 24_000;
/** Messages of the thread sent with an analysis request: the newest ones. */
export const RECENT_THREAD_MESSAGES = 20;
const MESSAGE_MAX = 4_000;
const DETAILS_MAX = 4_000;
const THREAD_LINE_MAX = 1_000;

export const DEFAULT_QUESTION =
  'Explain the most likely cause of this incident and the next steps to diagnose and fix it. Answer in Markdown.';

/** One thread message as the agent sees it: who said it and what. */
export interface ThreadLine {
  who: string;
  text: string;
}

export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack escapes `&`, `<` and `>` in message text; the agent should read the characters themselves. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function detailsText(details: Record<string, unknown> | undefined): string | undefined {
  if (details === undefined || Object.keys(details).length === 0) return undefined;
  const lines = Object.entries(details).map(
    ([key, value]) => `- ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return clipText(lines.join('\n'), DETAILS_MAX);
}

/** The incident's facts, one per line: what every request starts with. */
export function incidentFacts(incident: Incident): string {
  const lines = [
    `Incident ${incident.id} (${incident.severity}, ${incident.status}, seen ${incident.count} time${incident.count === 1 ? '' : 's'})`,
    `Title: ${incident.title}`,
    `Source: ${incident.source ?? 'unknown'}`,
    `First seen: ${incident.firstSeenAt}; last seen: ${incident.lastSeenAt}`,
  ];
  if (incident.message !== undefined && incident.message !== '') {
    lines.push(`Message:\n${clipText(incident.message, MESSAGE_MAX)}`);
  }
  const details = detailsText(incident.details);
  if (details !== undefined) lines.push(`Details:\n${details}`);
  if (incident.links.length > 0) {
    lines.push(`Links:\n${incident.links.map((l) => `- ${l.title}: ${l.url}`).join('\n')}`);
  }
  if (incident.resolveNote !== undefined) lines.push(`Resolution note: ${incident.resolveNote}`);
  return lines.join('\n');
}

function threadLines(thread: readonly ThreadLine[]): string[] {
  return thread.map((m) => `[${m.who}] ${clipText(unescapeSlack(m.text).trim(), THREAD_LINE_MAX)}`);
}

/**
 * `inputText` for an analysis: the facts, the newest `RECENT_THREAD_MESSAGES` thread messages (oldest first),
 * then the question. Always at most AGENT_INPUT_MAX characters.
 */
export function buildAnalysisInput(
  incident: Incident,
  thread: readonly ThreadLine[],
  question: string = DEFAULT_QUESTION,
): string {
  const head = incidentFacts(incident);
  const ask = `Question: ${clipText(question.trim() === '' ? DEFAULT_QUESTION : question.trim(), 2_000)}`;
  const lines = threadLines(thread.slice(-RECENT_THREAD_MESSAGES));
  const room = AGENT_INPUT_MAX - head.length - ask.length - 64;
  // Drop the oldest messages until the rest fits.
  while (lines.length > 0 && lines.join('\n').length > room) lines.shift();
  const parts = [head];
  if (lines.length > 0) parts.push(`Recent Slack thread (oldest first):\n${lines.join('\n')}`);
  parts.push(ask);
  return clipText(parts.join('\n\n'), AGENT_INPUT_MAX);
}

/** A mention in the thread: the question is the mention's text without the bot's `<@U…>` tag. */
export function mentionQuestion(text: string): string {
  return unescapeSlack(text.replace(/<@[UW][A-Z0-9]+(\|[^>]*)?>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The whole thread for a report summary, within `max` characters: the first messages (how it started) and the
 * newest (how it ended) are kept, the middle is elided with a count.
 */
export function threadTranscript(thread: readonly ThreadLine[], max: number): string {
  const lines = threadLines(thread);
  const all = lines.join('\n');
  if (all.length <= max) return all;
  const head: string[] = [];
  const tail: string[] = [];
  let used = 64;
  let i = 0;
  let j = lines.length - 1;
  // Alternate: two from the end for each one from the start, until the budget is spent.
  while (i <= j) {
    const fromStart = tail.length >= 2 * (head.length + 1);
    const line = (fromStart ? lines[i] : lines[j]) ?? '';
    if (used + line.length + 1 > max) break;
    used += line.length + 1;
    if (fromStart) head.push(lines[i++] ?? '');
    else tail.unshift(lines[j--] ?? '');
  }
  const omitted = lines.length - head.length - tail.length;
  return [...head, `[… ${omitted} message${omitted === 1 ? '' : 's'} omitted …]`, ...tail].join('\n');
}
