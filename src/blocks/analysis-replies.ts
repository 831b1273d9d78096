/**
 * The thread replies of To Bedrock Agent: the "Analysing…" placeholder, the growing preview while the answer
 * streams, the final answer (split over several messages when long, never truncated), and the failure message.
 * Each message's `text` carries its whole content too, so notifications, clients without Block Kit and the
 * report (which reads the thread's `text`) all see the answer. Pure.
 */
import { userMessageFor, type ErrorKind } from '../domain/classify.js';
import type { ThreadText } from './kit.js';
import { actorText } from './format.js';
import { context, section, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';
import { markdownToMrkdwn, splitMrkdwn } from './mrkdwn.js';

export type AnalysisEngine = 'agent' | 'local';

/** Section blocks per answer message: four full sections are about 12,000 characters, a long but readable post. */
export const SECTIONS_PER_MESSAGE = 4;

export interface AnalysisHeader {
  incidentId: string;
  requestedBy: string;
  engine: AnalysisEngine;
  /** A follow-up question (a mention in the thread); absent for the button and the command. */
  question?: string;
}

const ENGINE_NAME: Record<AnalysisEngine, string> = {
  agent: 'the Bedrock agent',
  local: 'the local rule-based analyser (not an LLM)',
};

/** The agent writes Markdown; the local analyser already writes Slack mrkdwn (from its own rule table). */
function toMrkdwn(h: AnalysisHeader, answer: string): string {
  return h.engine === 'agent' ? markdownToMrkdwn(answer) : answer.trim();
}

function headerLine(h: AnalysisHeader, state: string): string {
  const who = actorText(h.requestedBy);
  const what = h.question === undefined ? `*${h.incidentId}*` : `a follow-up on *${h.incidentId}*`;
  return `🤖 ${state} ${what} with ${ENGINE_NAME[h.engine]} · asked by ${who}`;
}

export function analysingReply(h: AnalysisHeader): ThreadText {
  const line = headerLine(h, 'Analysing');
  return { text: `${line}…`, blocks: [context([`${line}…`])] };
}

/** The placeholder while chunks arrive: the newest part of the answer so far, cut at a line where possible. */
export function streamingReply(h: AnalysisHeader, partialMarkdown: string): ThreadText {
  const line = `${headerLine(h, 'Analysing')} · _writing…_`;
  const text = toMrkdwn(h, partialMarkdown);
  const room = Limits.sectionText - 2;
  let preview = text;
  if (text.length > room) {
    const tail = text.slice(text.length - room);
    const newline = tail.indexOf('\n');
    preview = `…${newline >= 0 && newline < 500 ? tail.slice(newline) : tail.slice(1)}`;
  }
  const blocks: KnownBlock[] = [context([line])];
  if (preview.trim() !== '') blocks.push(section(preview));
  return { text: preview.trim() === '' ? line : preview, blocks };
}

function group<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function messagesOf(h: AnalysisHeader, pieces: readonly string[], state: string): ThreadText[] {
  const groups = group(pieces, SECTIONS_PER_MESSAGE);
  return groups.map((piecesOfMessage, i) => {
    const part = groups.length > 1 ? ` · part ${i + 1}/${groups.length}` : '';
    const blocks: KnownBlock[] = [context([`${headerLine(h, state)}${part}`])];
    for (const piece of piecesOfMessage) blocks.push(section(piece));
    return { text: piecesOfMessage.join('\n'), blocks };
  });
}

/** The full answer as one or more messages: the first replaces the placeholder, the rest follow it. */
export function answerReplies(h: AnalysisHeader, answerMarkdown: string): ThreadText[] {
  const text = toMrkdwn(h, answerMarkdown);
  const pieces = text === '' ? ['_The agent returned an empty answer._'] : splitMrkdwn(text);
  return messagesOf(h, pieces, 'Analysis of');
}

/** The error in words a responder can act on, after whatever part of the answer had already arrived. */
export function analysisFailedReplies(
  h: AnalysisHeader,
  kind: ErrorKind,
  partialMarkdown: string,
): ThreadText[] {
  const failure = `⚠️ *The analysis failed* (\`${kind}\`): ${userMessageFor(kind)}`;
  const text = toMrkdwn(h, partialMarkdown);
  const pieces = text === '' ? [] : splitMrkdwn(text);
  if (pieces.length === 0) {
    return [{ text: failure, blocks: [context([headerLine(h, 'Analysis of')]), section(failure)] }];
  }
  const messages = messagesOf(h, [...pieces, failure], 'Partial analysis of');
  return messages;
}
