/**
 * The incident report in Confluence storage format (XHTML, https://confluence.atlassian.com/doc/confluence-storage-format-790796544.html).
 * Only plain XHTML elements are used — no `ac:` macros — so the same body also renders as the local HTML report.
 * Every piece of text is escaped; links are kept only when they are http(s). Pure.
 *
 * Sections: facts, summary, impact, timeline (table), participants, root cause, follow-up actions, call history,
 * links (the Slack thread first).
 */
import type { Incident, TimelineEntry } from '../domain/incident.js';
import type { CallHistoryEntry, Participant, ReportSections } from '../domain/report.js';

export interface ReportDocument {
  incident: Incident;
  sections: ReportSections;
  participants: readonly Participant[];
  /** The Slack thread's permalink. */
  threadUrl?: string;
  /** Escalation calls; undefined until escalation is set up, empty when none were made. */
  calls?: readonly CallHistoryEntry[];
  /** Milliseconds since the epoch. */
  generatedAt: number;
  summarisedBy: 'agent' | 'local';
  /** Set when the agent was asked and failed, so the local summary was used instead. */
  agentFailure?: string;
}

// XML 1.0 forbids most control characters; Confluence rejects a body that contains them.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

function link(url: string, label: string): string {
  return isHttpUrl(url) ? `<a href="${escapeXml(url)}">${escapeXml(label)}</a>` : escapeXml(label);
}

/** Escaped text with the little Markdown an agent writes inline: **bold**, `code`, [label](url). */
function inline(text: string): string {
  return escapeXml(text)
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>');
}

const BULLET = /^\s*(?:[-*•+]|\d+[.)])\s+/;

/** Paragraphs split on blank lines; a paragraph made only of list items becomes a list. */
export function textToStorage(text: string, empty = 'Unknown.'): string {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.split('\n').filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0);
  if (blocks.length === 0) return `<p>${escapeXml(empty)}</p>`;
  return blocks
    .map((lines) =>
      lines.every((line) => BULLET.test(line))
        ? list(lines.map((line) => line.replace(BULLET, '')))
        : `<p>${lines.map((line) => inline(line.replace(/^#{1,6}\s+/, ''))).join('<br />')}</p>`,
    )
    .join('\n');
}

function list(items: readonly string[]): string {
  return `<ul>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
}

function utc(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table><tbody>${head}${body}</tbody></table>`;
}

function actorName(actor: string | undefined, names: ReadonlyMap<string, string>): string {
  if (actor === undefined) return '';
  if (actor.startsWith('system:')) return `${actor.slice('system:'.length)} (automatic)`;
  return names.get(actor) ?? actor;
}

function timelineTable(timeline: readonly TimelineEntry[], names: ReadonlyMap<string, string>): string {
  return table(
    ['Time', 'Event', 'What', 'Who'],
    timeline.map((e) => [
      escapeXml(utc(e.at)),
      escapeXml(e.kind),
      escapeXml(e.text),
      escapeXml(actorName(e.actor, names)),
    ]),
  );
}

function callHistory(calls: readonly CallHistoryEntry[] | undefined): string {
  if (calls === undefined) return '<p>Phone escalation is not set up, so no calls were recorded.</p>';
  if (calls.length === 0) return '<p>No calls were made.</p>';
  return table(
    ['Time', 'Responder', 'Outcome'],
    calls.map((c) => [escapeXml(utc(c.at)), escapeXml(c.responder), escapeXml(c.outcome)]),
  );
}

export function buildReportStorage(doc: ReportDocument): string {
  const { incident, sections } = doc;
  const names = new Map(
    doc.participants.flatMap((p) => (p.name === undefined ? [] : [[p.id, p.name] as const])),
  );
  const facts = [
    ['Incident', incident.id],
    ['Severity', incident.severity],
    ['Status', incident.status],
    ['Source', incident.source ?? 'alert'],
    ['First seen', utc(incident.firstSeenAt)],
    ['Last seen', utc(incident.lastSeenAt)],
    ['Alerts', String(incident.count)],
  ]
    .map(([k, v]) => `<strong>${escapeXml(k ?? '')}:</strong> ${escapeXml(v ?? '')}`)
    .join(' · ');
  const by =
    doc.summarisedBy === 'agent'
      ? 'Summary written by the Bedrock agent from the Slack thread.'
      : 'Summary assembled by Hikeshi from the incident and its Slack thread (rule-based, not an LLM).';
  const participants =
    doc.participants.length === 0
      ? '<p>Nobody but Hikeshi took part.</p>'
      : list(
          doc.participants
            .map((p) => (p.name === undefined ? p.id : `${p.name} (${p.id})`))
            .sort((a, b) => a.localeCompare(b)),
        );
  const links = [
    ...(doc.threadUrl === undefined ? [] : [link(doc.threadUrl, 'Slack thread')]),
    ...incident.links.map((l) => link(l.url, l.title)),
  ];
  return [
    `<p>${facts}</p>`,
    doc.threadUrl === undefined ? '' : `<p>${link(doc.threadUrl, 'Open the Slack thread')}</p>`,
    '<h2>Summary</h2>',
    textToStorage(sections.summary),
    '<h2>Impact</h2>',
    textToStorage(sections.impact),
    '<h2>Timeline</h2>',
    timelineTable(incident.timeline, names),
    '<h2>Participants</h2>',
    participants,
    '<h2>Root cause</h2>',
    textToStorage(sections.rootCause, 'Not determined yet.'),
    '<h2>Follow-up actions</h2>',
    sections.followUps.length === 0 ? '<p>None recorded.</p>' : list(sections.followUps),
    '<h2>Call history</h2>',
    callHistory(doc.calls),
    '<h2>Links</h2>',
    links.length === 0 ? '<p>None.</p>' : `<ul>${links.map((l) => `<li>${l}</li>`).join('')}</ul>`,
    `<p><em>${escapeXml(by)}${
      doc.agentFailure === undefined
        ? ''
        : ` The Bedrock agent could not summarise: ${escapeXml(doc.agentFailure)}.`
    } Generated by Hikeshi at ${escapeXml(new Date(doc.generatedAt).toISOString())}.</em></p>`,
  ]
    .filter((part) => part !== '')
    .join('\n');
}
