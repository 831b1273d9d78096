/**
 * The incident report's content, before any format: its title, its sections (written by the agent, or by the
 * deterministic local summariser), its participants. Pure. The Confluence storage format is
 * blocks/report-storage.ts.
 */
import { clipText, incidentFacts, threadTranscript, type ThreadLine } from './analysis-input.js';
import type { Incident } from './incident.js';
import { classifyErrorText } from './local-analyser.js';

export interface ReportSections {
  summary: string;
  impact: string;
  rootCause: string;
  followUps: string[];
}

/** One phone call of an escalation (filled in once escalation lands). */
export interface CallHistoryEntry {
  /** ISO 8601. */
  at: string;
  responder: string;
  outcome: string;
}

export interface Participant {
  /** A Slack user id. */
  id: string;
  name?: string;
}

/** Confluence titles are at most 255 characters. */
const TITLE_MAX = 255;

/** `[INC-42] <title> (YYYY-MM-DD)`, the date the incident was first seen (UTC). Stable, so reruns find the page. */
export function reportTitle(incident: Pick<Incident, 'id' | 'title' | 'firstSeenAt'>): string {
  const prefix = `[${incident.id}] `;
  const suffix = ` (${incident.firstSeenAt.slice(0, 10)})`;
  const title = incident.title.replace(/\s+/g, ' ').trim();
  return `${prefix}${clipText(title, TITLE_MAX - prefix.length - suffix.length)}${suffix}`;
}

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** Everyone who did something: the thread's authors (bots aside), watchers, and whoever acknowledged or resolved. */
export function participantIds(
  incident: Incident,
  thread: readonly { user?: string; botId?: string }[],
): string[] {
  const ids = new Set<string>();
  const add = (id: string | undefined) => {
    if (id !== undefined && SLACK_USER.test(id)) ids.add(id);
  };
  for (const entry of incident.timeline) add(entry.actor);
  add(incident.acknowledgedBy);
  add(incident.resolvedBy);
  for (const watcher of incident.watchers) add(watcher);
  for (const message of thread) if (message.botId === undefined) add(message.user);
  return [...ids];
}

function duration(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

const ACTION_LINE = /^\s*(?:[-*•]\s*)?(?:todo|action(?: item)?|follow[- ]?up|next step)s?\s*[:：-]\s*(.+)$/i;

/**
 * The summary without an LLM: the facts the incident and its thread state, and the local rule table's findings
 * for the root cause, labelled as such. Deterministic: the same incident and thread give the same report.
 */
export function summariseLocally(incident: Incident, thread: readonly ThreadLine[]): ReportSections {
  // Everyone who took part: who wrote in the thread, and who acted with a button or a command (Hikeshi writes
  // those actions in the thread itself, so the thread alone would count nobody).
  const people = new Set([
    ...thread.filter((m) => m.who !== 'Hikeshi').map((m) => m.who),
    ...participantIds(incident, []),
  ]);
  const summary = [
    `${incident.title}.`,
    incident.message === undefined ? '' : clipText(incident.message, 1_000),
    `Opened ${incident.firstSeenAt} from ${incident.source ?? 'an alert'}; ${incident.status} now.`,
    incident.acknowledgedAt === undefined ? '' : `Acknowledged ${incident.acknowledgedAt}.`,
    incident.resolvedAt === undefined ? '' : `Resolved ${incident.resolvedAt}.`,
    `The Slack thread has ${thread.length} message${thread.length === 1 ? '' : 's'} and ${people.size} ${people.size === 1 ? 'person' : 'people'} took part.`,
  ]
    .filter((part) => part !== '')
    .join(' ');
  const until = incident.resolvedAt ?? incident.lastSeenAt;
  const impact =
    `Severity ${incident.severity}. The alert fired ${incident.count} time${incident.count === 1 ? '' : 's'} ` +
    `between ${incident.firstSeenAt} and ${incident.lastSeenAt}. ` +
    (incident.resolvedAt === undefined
      ? 'Still open when this report was written.'
      : `Time to resolve: ${duration(incident.firstSeenAt, until)}.`);
  const text = [incident.title, incident.message ?? '', ...thread.map((m) => m.text)].join('\n');
  const findings = classifyErrorText(text).slice(0, 2);
  const rootCause = [
    incident.resolveNote === undefined ? '' : `Resolution note: ${incident.resolveNote}`,
    findings.length === 0
      ? 'Not determined yet.'
      : `Rule-based guess (not an LLM): ${findings.map((f) => `${f.title} — ${f.cause}`).join(' ')}`,
  ]
    .filter((part) => part !== '')
    .join('\n');
  const fromThread = thread.flatMap((m) => {
    const match = ACTION_LINE.exec(m.text);
    return match?.[1] === undefined ? [] : [match[1].trim()];
  });
  const followUps = [...new Set([...fromThread, ...(findings[0]?.steps ?? [])])].slice(0, 10);
  return { summary, impact, rootCause, followUps };
}

/** What the agent is asked for a report: four fixed headings, so its answer can be cut into sections. */
export function reportPrompt(incident: Incident, thread: readonly ThreadLine[]): string {
  const facts = incidentFacts(incident);
  const intro =
    'Write a post-incident summary for a Confluence report from the incident facts and the whole Slack thread below. ' +
    'Answer in Markdown with exactly these four headings: "## Summary", "## Impact", "## Root cause", ' +
    '"## Follow-up actions" (a bullet list). Write "Unknown" where the thread does not say.';
  const room = 23_000 - facts.length - intro.length;
  return `${intro}\n\n${facts}\n\nSlack thread (oldest first):\n${threadTranscript(thread, room)}`;
}

const HEADINGS: readonly [keyof ReportSections, RegExp][] = [
  ['summary', /^summary$/i],
  ['impact', /^impact$/i],
  ['rootCause', /^(root cause|cause)s?$/i],
  ['followUps', /^(follow[- ]?up actions?|follow[- ]?ups?|action items?|next steps?)$/i],
];

function headingOf(line: string): keyof ReportSections | undefined {
  const bare = line
    .trim()
    .replace(/^#{1,6}\s*/, '')
    .replace(/^\*\*(.*)\*\*$/, '$1')
    .replace(/[:：]\s*$/, '')
    .trim();
  return HEADINGS.find(([, pattern]) => pattern.test(bare))?.[0];
}

/** Cuts the agent's answer at the four headings; an answer without them becomes the summary, whole. */
export function parseReportSections(answer: string): ReportSections {
  const parts: Record<keyof ReportSections, string[]> = {
    summary: [],
    impact: [],
    rootCause: [],
    followUps: [],
  };
  let current: keyof ReportSections | undefined;
  const preamble: string[] = [];
  for (const line of answer.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = headingOf(line);
    if (heading !== undefined) current = heading;
    else (current === undefined ? preamble : parts[current]).push(line);
  }
  const text = (lines: string[]) => lines.join('\n').trim();
  if (current === undefined) return { summary: answer.trim(), impact: '', rootCause: '', followUps: [] };
  return {
    summary: [text(preamble), text(parts.summary)].filter((t) => t !== '').join('\n\n'),
    impact: text(parts.impact),
    rootCause: text(parts.rootCause),
    followUps: parts.followUps
      .map((line) => line.replace(/^\s*(?:[-*•+]|\d+[.)])\s+(\[[ xX]\]\s+)?/, '').trim())
      .filter((line) => line !== ''),
  };
}
