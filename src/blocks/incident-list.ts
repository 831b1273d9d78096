/**
 * Ephemeral bodies for `/incident list` (open incidents, newest first, with ids) and `/incident show ID`.
 */
import { inDigestOnly } from '../domain/digest.js';
import type { Incident, TimelineEntry } from '../domain/incident.js';
import { isOpen } from '../domain/incident.js';
import { actorText, escapeMrkdwn, mrkdwnText, SEVERITY_EMOJI, slackDate, truncate } from './format.js';
import { detailFields, factFields, statusLine } from './incident-message.js';
import { context, divider, fields, header, section, type KnownBlock } from './kit.js';
import type { Reply } from './usage.js';

/** Incidents listed before "…and N more"; keeps the reply far below the 50-block message limit. */
export const LIST_MAX = 20;
/** Timeline entries shown by `show`; the full history is in the message thread. */
export const SHOW_TIMELINE = 10;

export interface ListOptions {
  now?: number;
  limit?: number;
}

/** One line per incident: emoji, id, title, state, count. Also used by App Home. */
export function incidentLine(incident: Incident): string {
  const state =
    incident.status === 'acknowledged'
      ? `acknowledged${incident.acknowledgedBy !== undefined ? ` by ${actorText(incident.acknowledgedBy)}` : ''}`
      : incident.status;
  const where =
    incident.slack !== undefined
      ? ` · <#${incident.slack.channel}>`
      : inDigestOnly(incident)
        ? ' · in a storm digest'
        : '';
  return `${SEVERITY_EMOJI[incident.severity]} *${incident.id}* ${mrkdwnText(incident.title, 200)}\n_${state}_ · seen ${incident.count}× · since ${slackDate(incident.firstSeenAt)}${where}`;
}

/** Open incidents (resolved ones are dropped), newest first by number. */
export function buildIncidentList(incidents: readonly Incident[], options: ListOptions = {}): Reply {
  const limit = options.limit ?? LIST_MAX;
  const open = incidents.filter(isOpen).sort((a, b) => b.number - a.number);
  if (open.length === 0) {
    const text = '🎉 No open incidents.';
    return { text, blocks: [section(text)] };
  }
  const shown = open.slice(0, limit);
  const blocks: KnownBlock[] = [
    section(`*${open.length} open ${open.length === 1 ? 'incident' : 'incidents'}*`),
  ];
  for (const incident of shown) blocks.push(section(incidentLine(incident)));
  if (open.length > shown.length) blocks.push(context([`…and ${open.length - shown.length} more`]));
  const text = shown.map((i) => `${i.id} ${escapeMrkdwn(i.title)} (${i.status})`).join('\n');
  return { text: truncate(text, 3000), blocks };
}

/** `/incident show ID`: status, facts, details, and the latest timeline entries. */
export function buildIncidentDetail(incident: Incident, options: { now?: number } = {}): Reply {
  const blocks: KnownBlock[] = [
    header(`${SEVERITY_EMOJI[incident.severity]} ${incident.id} ${incident.title}`),
    section(statusLine(incident, options.now)),
  ];
  if (incident.message !== undefined && incident.message.trim() !== '')
    blocks.push(section(mrkdwnText(incident.message, 3000)));
  blocks.push(fields(factFields(incident)));
  const details = detailFields(incident.details);
  if (details.length > 0) blocks.push(fields(details));
  if (incident.watchers.length > 0)
    blocks.push(context([`👀 Watching: ${incident.watchers.map(actorText).join(' ')}`]));
  const recent = incident.timeline.slice(-SHOW_TIMELINE);
  if (recent.length > 0) {
    blocks.push(divider(), section(truncate(recent.map(timelineLine).join('\n'), 3000)));
  }
  if (incident.slack !== undefined)
    blocks.push(context([`Full timeline in the thread in <#${incident.slack.channel}>`]));
  return { text: `${incident.id} ${escapeMrkdwn(incident.title)} (${incident.status})`, blocks };
}

function timelineLine(entry: TimelineEntry): string {
  const who = entry.actor !== undefined ? ` — ${actorText(entry.actor)}` : '';
  return `${slackDate(entry.at)} *${entry.kind}* ${mrkdwnText(entry.text, 200)}${who}`;
}
