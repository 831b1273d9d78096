/**
 * Parsing of slash-command text: pure, so every syntax error is unit-tested. With `should_escape: true`
 * (manifest.json) Slack sends mentions as `<@U123|name>` and channels as `<#C123|name>`.
 */
import type { Severity } from '../../domain/alert.js';
import { parseDuration } from '../../domain/duration.js';
import { parseIncidentId } from '../../domain/incident.js';
import { parseSeverity } from '../../domain/snooze.js';
import { commandWords, parseIncidentSilence, type IncidentSilenceCommand } from './silence-args.js';

export type IncidentCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'new' }
  | { kind: 'show' | 'ack' | 'analyze' | 'report' | 'calls'; id?: string }
  | { kind: 'resolve'; id?: string; note?: string }
  | { kind: 'snooze'; id?: string; durationMs: number }
  | { kind: 'unsnooze'; id?: string }
  | { kind: 'severity'; id?: string; severity: Severity }
  /** `/incident policy [ID] <policy>` (issue 19): the escalation policy it follows. */
  | { kind: 'policy'; id?: string; policy: string }
  | IncidentSilenceCommand;

const ID_OPTIONAL = new Set(['show', 'ack', 'analyze', 'report', 'calls']);
const ALIASES: Record<string, string> = {
  acknowledge: 'ack',
  analyse: 'analyze',
  ls: 'list',
  open: 'new',
  close: 'resolve',
  '?': 'help',
};

export function parseIncidentCommand(text: string): IncidentCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = (words[0] ?? 'help').toLowerCase();
  const sub = ALIASES[first] ?? first;
  const rest = words.slice(1);
  if (sub === 'help') return { kind: 'help' };
  if (sub === 'list' || sub === 'new') {
    return rest.length === 0 ? { kind: sub } : { kind: 'error', problem: `\`${sub}\` takes no arguments.` };
  }
  if (ID_OPTIONAL.has(sub)) {
    if (rest.length > 1) return { kind: 'error', problem: `\`${sub}\` takes one incident ID.` };
    if (rest.length === 0) return { kind: sub as 'show' };
    const id = parseIncidentId(rest[0] ?? '');
    if (!id) return { kind: 'error', problem: `\`${rest[0]}\` is not an incident ID (like INC-42).` };
    return { kind: sub as 'show', id };
  }
  if (sub === 'resolve') {
    const id = rest[0] === undefined ? undefined : parseIncidentId(rest[0]);
    const noteWords = id === undefined ? rest : rest.slice(1);
    const note = noteWords.join(' ').trim();
    return { kind: 'resolve', ...(id ? { id } : {}), ...(note ? { note } : {}) };
  }
  if (sub === 'snooze') return parseSnooze(rest);
  if (sub === 'severity') return parseSeverityCommand(rest);
  if (sub === 'silence') return parseIncidentSilence(commandWords(rest.join(' ')));
  if (sub === 'policy') return parsePolicyCommand(rest);
  return { kind: 'error', problem: `Unknown subcommand \`${first}\`.` };
}

/** `[ID]` then one more word; the ID may be left out (inside an incident thread). */
function idAndWord(rest: string[]): { id?: string; word?: string } | { problem: string } {
  if (rest.length > 2) return { problem: 'Too many words.' };
  if (rest.length < 2) return rest[0] === undefined ? {} : { word: rest[0] };
  const id = parseIncidentId(rest[0] ?? '');
  if (!id) return { problem: `\`${rest[0]}\` is not an incident ID (like INC-42).` };
  return { id, ...(rest[1] === undefined ? {} : { word: rest[1] }) };
}

const UNSNOOZE_WORDS = new Set(['off', 'end', 'stop', 'cancel']);

function parseSnooze(rest: string[]): IncidentCommand {
  const usage = 'Say for how long: `/incident snooze [ID] 30m` (or `2h`, `1d`; `off` ends a snooze).';
  const parts = idAndWord(rest);
  if ('problem' in parts) return { kind: 'error', problem: `${parts.problem} ${usage}` };
  const id = parts.id === undefined ? {} : { id: parts.id };
  if (parts.word === undefined || parseIncidentId(parts.word) !== undefined) {
    return { kind: 'error', problem: usage };
  }
  if (UNSNOOZE_WORDS.has(parts.word.toLowerCase())) return { kind: 'unsnooze', ...id };
  const durationMs = parseDuration(parts.word);
  if (durationMs === undefined) {
    return { kind: 'error', problem: `\`${parts.word}\` is not a duration. ${usage}` };
  }
  return { kind: 'snooze', ...id, durationMs };
}

function parseSeverityCommand(rest: string[]): IncidentCommand {
  const usage = 'Say which: `/incident severity [ID] critical` (or `error`, `warning`, `info`).';
  const parts = idAndWord(rest);
  if ('problem' in parts) return { kind: 'error', problem: `${parts.problem} ${usage}` };
  if (parts.word === undefined || parseIncidentId(parts.word) !== undefined) {
    return { kind: 'error', problem: usage };
  }
  const severity = parseSeverity(parts.word);
  if (severity === undefined) {
    return { kind: 'error', problem: `\`${parts.word}\` is not a severity. ${usage}` };
  }
  return { kind: 'severity', ...(parts.id === undefined ? {} : { id: parts.id }), severity };
}

function parsePolicyCommand(rest: string[]): IncidentCommand {
  const usage = 'Say which: `/incident policy [ID] payments` (an escalation policy id, or `responders`).';
  const parts = idAndWord(rest);
  if ('problem' in parts) return { kind: 'error', problem: `${parts.problem} ${usage}` };
  if (parts.word === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(parts.word)) {
    return { kind: 'error', problem: usage };
  }
  return { kind: 'policy', ...(parts.id === undefined ? {} : { id: parts.id }), policy: parts.word };
}

export type OncallCommand =
  | { kind: 'list' }
  | { kind: 'edit' }
  | { kind: 'help' }
  | { kind: 'add'; userId: string; phone: string; priority?: number }
  /** `/oncall phone [number]`: your own number (issue 19), shown masked without one. */
  | { kind: 'phone'; phone?: string }
  | { kind: 'remove'; userId: string }
  | { kind: 'move'; userId: string; priority: number }
  | { kind: 'error'; problem: string };

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

/** `<@U123|alice>` or a bare `U123` id → the user id. */
export function parseUserMention(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  const m = MENTION.exec(word);
  if (m) return m[1];
  return /^[UW][A-Z0-9]{2,}$/.test(word) ? word : undefined;
}

function parsePriority(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d{1,3}$/.test(word)) return undefined;
  const n = Number(word);
  return n >= 1 ? n : undefined;
}

export function parseOncallCommand(text: string): OncallCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const sub = (words[0] ?? 'list').toLowerCase();
  const rest = words.slice(1);
  switch (sub) {
    case 'list':
    case 'who':
      return { kind: 'list' };
    case 'edit':
      return { kind: 'edit' };
    case 'help':
      return { kind: 'help' };
    case 'add': {
      const userId = parseUserMention(rest[0]);
      if (!userId) return { kind: 'error', problem: 'Say who to add: `/oncall add @user +81… [priority]`.' };
      // The number may be written in groups (`+81 90-1234-5678`); a last word of 1-3 digits is the priority.
      const words = rest.slice(1);
      const last = words.at(-1);
      const priority = words.length > 1 ? parsePriority(last) : undefined;
      if (words.length > 1 && last !== undefined && !/\d/.test(last))
        return { kind: 'error', problem: `\`${last}\` is not a priority (1, 2, 3…).` };
      const phone = (priority === undefined ? words : words.slice(0, -1)).join(' ');
      if (!phone) return { kind: 'error', problem: 'Give a phone number, e.g. `+81 90-1234-5678`.' };
      return priority === undefined
        ? { kind: 'add', userId, phone }
        : { kind: 'add', userId, phone, priority };
    }
    case 'phone': {
      const phone = rest.join(' ');
      return phone === '' ? { kind: 'phone' } : { kind: 'phone', phone };
    }
    case 'remove': {
      const userId = parseUserMention(rest[0]);
      if (!userId || rest.length !== 1) return { kind: 'error', problem: 'Usage: `/oncall remove @user`.' };
      return { kind: 'remove', userId };
    }
    case 'move': {
      const userId = parseUserMention(rest[0]);
      const priority = parsePriority(rest[1]);
      if (!userId || priority === undefined || rest.length !== 2) {
        return { kind: 'error', problem: 'Usage: `/oncall move @user <priority>`.' };
      }
      return { kind: 'move', userId, priority };
    }
    default:
      return { kind: 'error', problem: `Unknown subcommand \`${sub}\`.` };
  }
}
