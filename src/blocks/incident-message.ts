/**
 * The one living Slack message per incident (posted once, then `chat.update`d on every change).
 *
 * Layout:
 * - top-level blocks: a header (severity emoji, id, title), the status line (who acknowledged/resolved, count,
 *   how long it has been open), the watchers, then ONE actions block with the five buttons. The buttons live at
 *   the top level rather than inside the attachment because Slack may collapse a long attachment behind
 *   "Show more", and a responder at 3 a.m. should never have to expand anything to act.
 * - one attachment carrying the severity colour bar (green once resolved): message, source/severity/first/last
 *   seen/count fields, details as compact fields, links.
 *
 * Buttons: all five — Watching, To Bedrock Agent, Reporting, Acknowledge (primary), Resolve (danger) — stay visible
 * while the incident is open, also once acknowledged: a second Acknowledge is answered ephemerally with who got
 * there first, which is more useful than a button that silently vanished. Labels never change (people and tests
 * look for them by name). A resolved incident keeps Watching, To Bedrock Agent and Reporting, which still make
 * sense after the fact. Every button's `value` is the incident id. An open incident's actions end with the
 * overflow menu (incident-menu.ts): snooze, and change the severity.
 *
 * Lifecycle lines (a context block under the status): flapping, snoozed until (a Slack date token, so each reader
 * sees their own time zone), and the previous incident of the same alert when this one opened after the reopen
 * window.
 */
import type { Incident } from '../domain/incident.js';
import { isOpen } from '../domain/incident.js';
import { Actions } from './ids.js';
import {
  actorText,
  escapeMrkdwn,
  formatDuration,
  mentions,
  mrkdwnLink,
  mrkdwnText,
  RESOLVED_COLOR,
  SEVERITY_COLOR,
  SEVERITY_EMOJI,
  slackAgo,
  slackDate,
  slackTime,
  truncate,
  valueText,
} from './format.js';
import { incidentMenu } from './incident-menu.js';
import { actions, button, context, fields, header, section, type Button, type KnownBlock } from './kit.js';
import { Limits } from './limits.js';

export interface IncidentMessage {
  /** Fallback for notifications and clients without Block Kit. */
  text: string;
  blocks: KnownBlock[];
  attachments: { color: string; blocks: KnownBlock[] }[];
}

export interface IncidentMessageOptions {
  /** Milliseconds since the epoch; when given, an open incident shows how long it has been open. */
  now?: number;
}

/** block_ids, stable so listeners and tests can find the parts. */
export const IncidentBlockIds = {
  status: 'incident_status',
  lifecycle: 'incident_lifecycle',
  watchers: 'incident_watchers',
  report: 'incident_report',
  actions: 'incident_actions',
  message: 'incident_message',
  facts: 'incident_facts',
  details: 'incident_details',
  links: 'incident_links',
} as const;

/** Button labels, exactly as the issue names them. */
export const ButtonLabels = {
  watching: 'Watching',
  toBedrockAgent: 'To Bedrock Agent',
  reporting: 'Reporting',
  acknowledge: 'Acknowledge',
  resolve: 'Resolve',
} as const;

/** Longest detail value shown in a field; details are a glance, the full values stay on the incident. */
const DETAIL_VALUE_MAX = 300;
const DETAIL_KEY_MAX = 100;
const FALLBACK_MAX = 3000;

export function buildIncidentMessage(
  incident: Incident,
  options: IncidentMessageOptions = {},
): IncidentMessage {
  const emoji = SEVERITY_EMOJI[incident.severity];
  const blocks: KnownBlock[] = [
    header(`${emoji} ${incident.id} ${incident.title}`),
    section(statusLine(incident, options.now), IncidentBlockIds.status),
  ];
  const lifecycle = lifecycleLines(incident, options.now);
  if (lifecycle.length > 0) blocks.push(context(lifecycle, IncidentBlockIds.lifecycle));
  if (incident.watchers.length > 0) {
    blocks.push(
      context(
        [truncate(`👀 Watching: ${mentions(incident.watchers)}`, Limits.textObject)],
        IncidentBlockIds.watchers,
      ),
    );
  }
  if (incident.report !== undefined) {
    // The postmortem is what people look for once an incident is over: keep its link on the message itself.
    blocks.push(
      context(
        [`📄 ${mrkdwnLink(incident.report.url, `Report v${incident.report.version}`)}`],
        IncidentBlockIds.report,
      ),
    );
  }
  const menu = incidentMenu(incident, options.now);
  blocks.push(actions([...incidentButtons(incident), ...(menu ? [menu] : [])], IncidentBlockIds.actions));

  return {
    text: fallbackText(incident),
    blocks,
    attachments: [
      {
        color: incident.status === 'resolved' ? RESOLVED_COLOR : SEVERITY_COLOR[incident.severity],
        blocks: attachmentBlocks(incident),
      },
    ],
  };
}

export function incidentButtons(incident: Pick<Incident, 'id' | 'status'>): Button[] {
  const always = [
    button(ButtonLabels.watching, Actions.watching, incident.id),
    button(ButtonLabels.toBedrockAgent, Actions.toBedrockAgent, incident.id),
    button(ButtonLabels.reporting, Actions.reporting, incident.id),
  ];
  if (!isOpen(incident)) return always;
  return [
    ...always,
    button(ButtonLabels.acknowledge, Actions.acknowledge, incident.id, 'primary'),
    button(ButtonLabels.resolve, Actions.resolve, incident.id, 'danger'),
  ];
}

/**
 * Flapping, snoozed, the escalation policy, and the incident this one follows. A snooze is shown while the incident is open and (when
 * `now` is known) not yet over.
 */
export function lifecycleLines(incident: Incident, now?: number): string[] {
  const lines: string[] = [];
  if (incident.flapping === true && isOpen(incident)) {
    lines.push('🔁 *Flapping*: reopened 3 or more times in an hour; its reopens start no phone calls');
  }
  const snoozed =
    incident.snoozedUntil !== undefined &&
    isOpen(incident) &&
    (now === undefined || Date.parse(incident.snoozedUntil) > now);
  if (snoozed && incident.snoozedUntil !== undefined) {
    const by = incident.snoozedBy !== undefined ? ` by ${actorText(incident.snoozedBy)}` : '';
    // "until 14:30", with the date too when the snooze was for most of a day or more.
    const since = incident.timeline.findLast((e) => e.kind === 'snoozed')?.at;
    const from = since === undefined ? now : Date.parse(since);
    lines.push(`😴 Escalation snoozed until ${slackTime(incident.snoozedUntil, from)}${by}`);
  }
  // Routed incidents (issue 19) say which escalation policy pages for them; `/incident policy` changes it.
  if (incident.policy !== undefined && isOpen(incident)) {
    lines.push(`📟 Policy: ${escapeMrkdwn(incident.policy)}`);
  }
  if (incident.previous !== undefined) {
    const { id, resolvedAt } = incident.previous;
    lines.push(`↩️ Previously *${escapeMrkdwn(id)}*, resolved ${slackAgo(resolvedAt)}`);
  }
  return lines;
}

/** The status line: state, who, when, count. Also used by the list and detail views. */
export function statusLine(incident: Incident, now?: number): string {
  const reopens = incident.reopenCount ?? 0;
  const reopened = reopens > 0 ? ` · reopened *${reopens}* ${reopens === 1 ? 'time' : 'times'}` : '';
  // Held by a silence (src/domain/silence.ts): its repeats are counted here, and nobody is paged.
  const silenced = (incident.silencedBy?.length ?? 0) > 0 ? ' · 🔕 silenced' : '';
  const count = `seen *${incident.count}* ${incident.count === 1 ? 'time' : 'times'}${reopened}${silenced}`;
  const since =
    now !== undefined && isOpen(incident)
      ? ` · open for ${formatDuration(now - Date.parse(incident.firstSeenAt))}`
      : '';
  switch (incident.status) {
    case 'triggered':
      return `🚨 *Triggered* · ${count}${since}`;
    case 'acknowledged': {
      const who = incident.acknowledgedBy !== undefined ? ` by ${actorText(incident.acknowledgedBy)}` : '';
      const when = incident.acknowledgedAt !== undefined ? ` ${slackDate(incident.acknowledgedAt)}` : '';
      return `👍 *Acknowledged*${who}${when} · ${count}${since}`;
    }
    case 'resolved': {
      const who = incident.resolvedBy !== undefined ? ` by ${actorText(incident.resolvedBy)}` : '';
      const when = incident.resolvedAt !== undefined ? ` ${slackDate(incident.resolvedAt)}` : '';
      const took =
        incident.resolvedAt !== undefined
          ? ` · after ${formatDuration(Date.parse(incident.resolvedAt) - Date.parse(incident.firstSeenAt))}`
          : '';
      const note =
        incident.resolveNote !== undefined
          ? `\n> ${mrkdwnText(incident.resolveNote, 1000).replace(/\n/g, '\n> ')}`
          : '';
      return `✅ *Resolved*${who}${when} · ${count}${took}${note}`;
    }
  }
}

function attachmentBlocks(incident: Incident): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (incident.message !== undefined && incident.message.trim() !== '') {
    blocks.push(section(mrkdwnText(incident.message, Limits.sectionText), IncidentBlockIds.message));
  }
  blocks.push(fields(factFields(incident), IncidentBlockIds.facts));
  const details = detailFields(incident.details);
  if (details.length > 0) blocks.push(fields(details, IncidentBlockIds.details));
  if (incident.links.length > 0) {
    const links = incident.links.map((link) => mrkdwnLink(link.url, link.title)).join(' · ');
    blocks.push(section(truncate(`🔗 ${links}`, Limits.sectionText), IncidentBlockIds.links));
  }
  return blocks;
}

export function factFields(incident: Incident): string[] {
  return [
    `*Severity*\n${SEVERITY_EMOJI[incident.severity]} ${incident.severity}`,
    `*Source*\n${incident.source !== undefined ? mrkdwnText(incident.source, 300) : '—'}`,
    `*First seen*\n${slackDate(incident.firstSeenAt)}`,
    `*Last seen*\n${slackDate(incident.lastSeenAt)}`,
    `*Count*\n${incident.count}`,
  ];
}

/** Details as at most 10 `*key*\nvalue` fields; past nine keys the tenth field says how many more there are. */
export function detailFields(details: Record<string, unknown> | undefined): string[] {
  const entries = Object.entries(details ?? {});
  const shown = entries.length > Limits.sectionFields ? entries.slice(0, Limits.sectionFields - 1) : entries;
  const out = shown.map(([key, value]) => {
    const name = mrkdwnText(key === '' ? '(blank)' : key, DETAIL_KEY_MAX);
    const text = valueText(value);
    return `*${name}*\n${text === '' ? '—' : mrkdwnText(text, DETAIL_VALUE_MAX)}`;
  });
  if (shown.length < entries.length) out.push(`*…*\n${entries.length - shown.length} more`);
  return out;
}

function fallbackText(incident: Incident): string {
  const state =
    incident.status === 'resolved'
      ? 'resolved'
      : incident.status === 'acknowledged'
        ? 'acknowledged'
        : 'triggered';
  return truncate(
    `${SEVERITY_EMOJI[incident.severity]} ${incident.id} [${incident.severity}] ${escapeMrkdwn(incident.title)} — ${state}, count ${incident.count}`,
    FALLBACK_MAX,
  );
}
