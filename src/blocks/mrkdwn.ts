/**
 * Agent answers arrive in Markdown; Slack speaks its own mrkdwn (https://docs.slack.dev/messaging/formatting-message-text).
 * `markdownToMrkdwn` converts the common constructs and escapes the control characters, and `splitMrkdwn` cuts a
 * long answer into pieces that each fit a section block, at line boundaries, without ever dropping text and
 * without leaving a code block open across a cut. Pure.
 */
import { Limits } from './limits.js';

const FENCE = /^\s*```/;
const BOLD_MARK = '\u0001';

/** Converts the text outside inline code spans of one line. */
function inlineToMrkdwn(text: string): string {
  return (
    text
      // Bold first, through a marker, so the italic rule below does not see its asterisks.
      .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, `${BOLD_MARK}$1${BOLD_MARK}`)
      .replace(/__(?=\S)(.+?)(?<=\S)__/g, `${BOLD_MARK}$1${BOLD_MARK}`)
      .replace(/(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])/g, '_$1_')
      .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~')
      .replace(/!?\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) => {
        return `<${url}|${label.replace(/\|/g, '/')}>`;
      })
      .replaceAll(BOLD_MARK, '*')
  );
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function lineToMrkdwn(line: string): string {
  const escaped = escape(line);
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(escaped);
  if (heading) return `*${(heading[1] ?? '').replace(/\*\*/g, '')}*`;
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(escaped)) return '──────────';
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(escaped);
  const [indent, body] = bullet ? [`${bullet[1] ?? ''}• `, bullet[2] ?? ''] : ['', escaped];
  // Inline code spans keep their content as written: split on backticks, convert the even parts only.
  const converted = body
    .split('`')
    .map((part, i) => (i % 2 === 0 ? inlineToMrkdwn(part) : part))
    .join('`');
  return `${indent}${converted}`;
}

/**
 * Markdown → Slack mrkdwn: headings and `**bold**` become `*bold*`, `*italic*` `_italic_`, `[text](url)` `<url|text>`,
 * list markers `•`; `&`, `<` and `>` are escaped everywhere (so an answer cannot ping `<!channel>`); fenced code
 * blocks are kept as they are apart from the escaping.
 */
export function markdownToMrkdwn(markdown: string): string {
  let inFence = false;
  return markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      if (FENCE.test(line)) {
        inFence = !inFence;
        return '```';
      }
      return inFence ? escape(line) : lineToMrkdwn(line);
    })
    .join('\n')
    .trim();
}

/** Cuts one over-long line into pieces of at most `max`, never inside a surrogate pair or an `&amp;` entity. */
function hardSplit(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    const entity = /&[a-z]{0,4}$/.exec(rest.slice(0, cut));
    if (entity && entity.index > 0) cut = entity.index;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

const CLOSE = '\n```';
const REOPEN = '```';

/**
 * Splits mrkdwn into pieces of at most `max` characters (default: a section block's 3000), cutting between lines
 * where it can. A code block cut in two is closed at the end of one piece and reopened in the next, so each
 * piece renders on its own. Nothing is ever truncated: every line of `text` is in exactly one piece.
 */
export function splitMrkdwn(text: string, max: number = Limits.sectionText): string[] {
  if (text.length <= max) return [text];
  // Room for a reopening fence line at the start of a piece and a closing one at its end.
  const budget = max - CLOSE.length - REOPEN.length - 1;
  if (budget < 16) throw new RangeError(`splitMrkdwn: max ${max} is too small`);
  const pieces: string[] = [];
  let lines: string[] = [];
  let length = -1;
  let reopened = false;
  let inFence = false;
  const hasContent = () => lines.length > (reopened ? 1 : 0);

  for (const line of text.split('\n')) {
    const isFence = FENCE.test(line);
    for (const part of hardSplit(line, budget)) {
      // A closing fence may use the room kept for the close it makes unnecessary.
      const limit = isFence && inFence ? budget + CLOSE.length : budget;
      if (hasContent() && length + 1 + part.length > limit) {
        pieces.push(`${lines.join('\n')}${inFence ? CLOSE : ''}`);
        reopened = inFence;
        lines = inFence ? [REOPEN] : [];
        length = inFence ? REOPEN.length : -1;
      }
      lines.push(part);
      length += 1 + part.length;
    }
    if (isFence) inFence = !inFence;
  }
  if (hasContent()) pieces.push(lines.join('\n'));
  return pieces;
}
