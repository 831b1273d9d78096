/**
 * Thread replies: one short line per timeline entry, posted in the incident message's thread, which is the
 * incident's visible timeline. Status changes (acknowledged, resolved, reopened, a severity change) mention the
 * watchers — all but the person who made the change — so that watching actually means being told.
 */
import type { Incident, TimelineEntry } from '../domain/incident.js';
import { actorText, escapeMrkdwn, mentions, SEVERITY_EMOJI, truncate } from './format.js';
import { Limits } from './limits.js';

const STATUS_CHANGES = new Set<TimelineEntry['kind']>([
  'acknowledged',
  'resolved',
  'folded',
  'reopened',
  'severity',
]);

/** The mrkdwn text of the thread reply for `entry` (which belongs to `incident`). */
export function timelineReplyText(
  incident: Pick<Incident, 'id' | 'severity' | 'watchers'>,
  entry: TimelineEntry,
): string {
  const by = entry.actor !== undefined ? actorText(entry.actor) : 'someone';
  const text = escapeMrkdwn(entry.text);
  let line: string;
  switch (entry.kind) {
    case 'opened':
      line = `${SEVERITY_EMOJI[incident.severity]} *${incident.id}* ${text}`;
      break;
    case 'folded':
      line = `⬆️ ${text}`;
      break;
    case 'acknowledged':
      line = `👍 *Acknowledged* by ${by}`;
      break;
    case 'resolved': {
      const note = entry.text.startsWith('Resolved: ')
        ? escapeMrkdwn(entry.text.slice('Resolved: '.length))
        : '';
      line = `✅ *Resolved* by ${by}${note !== '' ? `\n> ${note.replace(/\n/g, '\n> ')}` : ''}`;
      break;
    }
    case 'reopened':
      line = `🔁 *Reopened*: ${text}`;
      break;
    case 'snoozed':
      line = `😴 ${by}: ${text}`;
      break;
    case 'severity':
      line = `${SEVERITY_EMOJI[incident.severity]} ${by}: ${text}`;
      break;
    case 'watch':
      line = `👀 ${by} is watching`;
      break;
    case 'unwatch':
      line = `🙈 ${by} stopped watching`;
      break;
    case 'analysis':
      line = `🤖 *Analysis* (${by}): ${text}`;
      break;
    case 'report':
      line = `📄 *Report* (${by}): ${text}`;
      break;
    case 'escalation':
      // The actor of an escalation entry is the responder being called (or who answered).
      line = entry.actor !== undefined ? `📞 ${by}: ${text}` : `📞 ${text}`;
      break;
    case 'note':
      line = `📝 ${by}: ${text}`;
      break;
  }
  const cc = STATUS_CHANGES.has(entry.kind) ? watchersToNotify(incident.watchers, entry.actor) : [];
  const suffix = cc.length > 0 ? `\ncc ${mentions(cc)}` : '';
  // Keep the cc line whole: cut the body, never the mentions.
  return `${truncate(line, Limits.textObject - suffix.length)}${suffix}`;
}

function watchersToNotify(watchers: readonly string[], actor: string | undefined): string[] {
  return watchers.filter((watcher) => watcher !== actor);
}
