/**
 * Parsing of the silence commands (issue 20), pure like args.ts:
 * - `/incident silence [ID] 2h [comment]`;
 * - `/maintenance start 2h <matcher> [<matcher>…] [comment]`, `list`, `end <id>`, `help`.
 * Matchers are the words after the duration that read as matchers (route-matchers.ts); a quoted value may hold
 * spaces (`title=~"disk .*"`). Slack clients may turn straight quotes into curly ones: they are read as straight.
 */
import { parseDuration } from '../../domain/duration.js';
import { parseIncidentId } from '../../domain/incident.js';
import { parseMatcher } from '../../domain/route-matchers.js';

export type IncidentSilenceCommand =
  { kind: 'silence'; id?: string; durationMs: number; comment?: string } | { kind: 'error'; problem: string };

export type MaintenanceCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'start'; durationMs: number; matchers: string[]; comment?: string }
  | { kind: 'end'; id: string }
  | { kind: 'error'; problem: string };

/** Words, keeping a double-quoted part (with its backslash escapes) inside its word. */
export function commandWords(text: string): string[] {
  // Slack sends `&`, `<` and `>` as HTML entities (https://api.slack.com/reference/surfaces/formatting#escaping).
  const unescaped = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const straight = unescaped.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
  return straight.match(/(?:[^\s"]+|"(?:[^"\\]|\\.)*"?)+/g) ?? [];
}

const comment = (words: readonly string[]) => {
  const text = words.join(' ').trim();
  return text === '' ? {} : { comment: text };
};

export function parseIncidentSilence(rest: readonly string[]): IncidentSilenceCommand {
  const usage =
    'Say for how long: `/incident silence [ID] 2h [comment]` (`30m`, `2h`, `1d`; at most 30 days).';
  const id = rest[0] === undefined ? undefined : parseIncidentId(rest[0]);
  const words = id === undefined ? rest : rest.slice(1);
  const durationMs = words[0] === undefined ? undefined : parseDuration(words[0]);
  if (durationMs === undefined) {
    const problem = words[0] === undefined ? usage : `\`${words[0]}\` is not a duration. ${usage}`;
    return { kind: 'error', problem };
  }
  return { kind: 'silence', ...(id === undefined ? {} : { id }), durationMs, ...comment(words.slice(1)) };
}

export function parseMaintenanceCommand(text: string): MaintenanceCommand {
  const words = commandWords(text.trim());
  const sub = (words[0] ?? 'list').toLowerCase();
  const rest = words.slice(1);
  switch (sub) {
    case 'help':
      return { kind: 'help' };
    case 'list':
    case 'ls':
      return rest.length === 0 ? { kind: 'list' } : { kind: 'error', problem: '`list` takes no arguments.' };
    case 'end':
    case 'stop':
    case 'expire': {
      const id = rest[0]?.toLowerCase();
      if (id === undefined || rest.length !== 1 || !/^sil-[0-9a-f]{8}$/.test(id)) {
        return {
          kind: 'error',
          problem: 'Say which: `/maintenance end sil-1a2b3c4d` (ids: `/maintenance list`).',
        };
      }
      return { kind: 'end', id };
    }
    case 'start':
      return parseStart(rest);
    default:
      return { kind: 'error', problem: `Unknown subcommand \`${sub}\`.` };
  }
}

function parseStart(rest: readonly string[]): MaintenanceCommand {
  const usage = 'Usage: `/maintenance start 2h label:service=payments [comment]`.';
  const durationMs = rest[0] === undefined ? undefined : parseDuration(rest[0]);
  if (durationMs === undefined) {
    const problem = rest[0] === undefined ? usage : `\`${rest[0]}\` is not a duration. ${usage}`;
    return { kind: 'error', problem };
  }
  const matchers: string[] = [];
  let i = 1;
  for (; i < rest.length; i += 1) {
    const word = rest[i] ?? '';
    const parsed = parseMatcher(word);
    if (parsed.ok) {
      matchers.push(parsed.matcher.text);
      continue;
    }
    // A word shaped like a matcher but wrong is a mistake to report, not the start of the comment.
    if (/^[\w:./-]+[=!~]/.test(word)) return { kind: 'error', problem: `\`${word}\`: ${parsed.reason}` };
    break;
  }
  if (matchers.length === 0) {
    return { kind: 'error', problem: `Say what to silence, e.g. \`label:service=payments\`. ${usage}` };
  }
  return { kind: 'start', durationMs, matchers, ...comment(rest.slice(i)) };
}
