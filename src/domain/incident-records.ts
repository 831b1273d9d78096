/**
 * What people and integrations record on an incident besides its status: watchers, free-form timeline entries
 * (notes, analysis, escalation steps), the published report and where its Slack message lives. Pure, like
 * incident.ts (which re-exports these).
 */
import type { Incident, IncidentReport } from './incident.js';
import { appendEntry, iso, timelineEntry as entry, type TimelineKind } from './timeline.js';

export type ToggleWatcherResult =
  { ok: true; incident: Incident; watching: boolean } | { ok: false; reason: 'resolved' };

/**
 * Adds the user to the watchers, or removes them if already there; `watching` is the new state. A resolved
 * incident changes nothing (the issue: a button on a resolved incident answers ephemerally and changes nothing).
 */
export function toggleWatcher(incident: Incident, userId: string, now: number): ToggleWatcherResult {
  if (incident.status === 'resolved') return { ok: false, reason: 'resolved' };
  const at = iso(now);
  const watching = !incident.watchers.includes(userId);
  return {
    ok: true,
    watching,
    incident: {
      ...incident,
      watchers: watching ? [...incident.watchers, userId] : incident.watchers.filter((w) => w !== userId),
      timeline: appendEntry(
        incident.timeline,
        entry(at, watching ? 'watch' : 'unwatch', watching ? 'Started watching' : 'Stopped watching', userId),
      ),
      version: incident.version + 1,
    },
  };
}

/** A free-form timeline entry (a note, an analysis or report result, an escalation step). */
export function addTimelineEntry(
  incident: Incident,
  input: { kind: TimelineKind; text: string; actor?: string; now: number },
): Incident {
  return {
    ...incident,
    timeline: appendEntry(incident.timeline, entry(iso(input.now), input.kind, input.text, input.actor)),
    version: incident.version + 1,
  };
}

/** Records the published report and adds its `report` timeline entry ("Report version 2 published to …"). */
export function attachReport(
  incident: Incident,
  report: Omit<IncidentReport, 'publishedAt'>,
  input: { by: string; now: number; target: string },
): Incident {
  const at = iso(input.now);
  const text = `Report version ${report.version} published to ${input.target}`;
  return {
    ...incident,
    report: { ...report, publishedAt: at },
    timeline: appendEntry(incident.timeline, entry(at, 'report', text, input.by)),
    version: incident.version + 1,
  };
}

/**
 * Records where the incident's message was posted. `rendered` is the version the message was rendered from: if
 * the incident has not changed since, the message shows the new version too (it does not display `slack`).
 */
export function attachSlackMessage(
  incident: Incident,
  slack: { channel: string; ts: string },
  rendered?: number,
): Incident {
  const version = incident.version + 1;
  const shown = rendered === incident.version ? version : rendered;
  return {
    ...incident,
    slack: { channel: slack.channel, ts: slack.ts },
    version,
    ...(shown === undefined ? {} : { slackShownVersion: shown }),
  };
}
