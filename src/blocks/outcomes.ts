/**
 * Short ephemeral answers to what a person just did. Pure texts, so the wording is tested once and shared
 * by the buttons and the commands.
 */
import { inDigestOnly } from '../domain/digest.js';
import type { Incident } from '../domain/incident.js';
import type { OncallChange } from '../domain/oncall.js';
import { maskPhone } from '../domain/phone.js';
import type {
  AcknowledgeOutcome,
  ResolveOutcome,
  SeverityOutcome,
  SnoozeOutcome,
  UnsnoozeOutcome,
  WatchOutcome,
} from '../domain/incident-outcomes.js';
import { actorText, escapeMrkdwn, formatDuration, SEVERITY_EMOJI, slackTime } from './format.js';

/**
 * An analysis or a report needs the incident's thread: one a storm digest shows has none until it gets its own
 * message (Open in the digest's list, or any change by a person: src/domain/digest.ts).
 */
export function noThreadYetText(incident: Pick<Incident, 'id' | 'digest' | 'slack'>): string {
  return inDigestOnly(incident)
    ? `${incident.id} is in a storm digest and has no thread yet: open it from the digest (List all → Open), or act on it (e.g. \`/incident ack ${incident.id}\`), then try again.`
    : `${incident.id} has no Slack message yet; try again in a moment.`;
}

export function notFoundText(id: string): string {
  return `⚠️ There is no incident ${escapeMrkdwn(id)}. Try \`/incident list\`.`;
}

export function acknowledgeOutcomeText(id: string, outcome: AcknowledgeOutcome): string {
  if (outcome.ok) return `👍 You acknowledged *${outcome.incident.id}*.`;
  switch (outcome.reason) {
    case 'not_found':
      return notFoundText(id);
    case 'already_acknowledged':
      return `ℹ️ *${outcome.incident.id}* was already acknowledged by ${actorText(outcome.by)}.`;
    case 'resolved':
      return `ℹ️ *${outcome.incident.id}* is already resolved; nothing changed.`;
  }
}

export function resolveOutcomeText(id: string, outcome: ResolveOutcome): string {
  if (outcome.ok) return `✅ You resolved *${outcome.incident.id}*.`;
  if (outcome.reason === 'not_found') return notFoundText(id);
  return `ℹ️ *${outcome.incident.id}* was already resolved by ${actorText(outcome.by)}; nothing changed.`;
}

export function watchOutcomeText(id: string, outcome: WatchOutcome): string {
  if (outcome.ok) {
    return outcome.watching
      ? `👀 Watching ✓ *${outcome.incident.id}*: you will be mentioned on its status changes. Click *Watching* again to stop watching.`
      : `🙈 You stopped watching *${outcome.incident.id}*. Click *Watching* to watch it again.`;
  }
  if (outcome.reason === 'not_found') return notFoundText(id);
  return `ℹ️ *${outcome.incident.id}* is resolved; nothing changed.`;
}

export function snoozeOutcomeText(id: string, outcome: SnoozeOutcome): string {
  if (outcome.ok) {
    const until = outcome.incident.snoozedUntil;
    const since = outcome.incident.timeline.findLast((e) => e.kind === 'snoozed')?.at;
    const when =
      until === undefined
        ? ''
        : ` until ${slackTime(until, since === undefined ? undefined : Date.parse(since))}`;
    return `😴 Phone escalation for *${outcome.incident.id}* is snoozed${when}. A new alert of higher severity ends the snooze.`;
  }
  switch (outcome.reason) {
    case 'not_found':
      return notFoundText(id);
    case 'resolved':
      return `ℹ️ *${outcome.incident.id}* is resolved; there is nothing to snooze.`;
    case 'too_long':
      return `⚠️ A snooze lasts at most ${formatDuration(outcome.maxMs)}.`;
  }
}

export function unsnoozeOutcomeText(id: string, outcome: UnsnoozeOutcome): string {
  if (outcome.ok) return `⏰ *${outcome.incident.id}* is no longer snoozed: escalation goes on.`;
  if (outcome.reason === 'not_found') return notFoundText(id);
  return `ℹ️ *${outcome.incident.id}* is not snoozed.`;
}

export function severityOutcomeText(id: string, outcome: SeverityOutcome): string {
  if (outcome.ok) {
    const severity = outcome.incident.severity;
    return `${SEVERITY_EMOJI[severity]} *${outcome.incident.id}* is now ${severity}.`;
  }
  switch (outcome.reason) {
    case 'not_found':
      return notFoundText(id);
    case 'resolved':
      return `ℹ️ *${outcome.incident.id}* is resolved; its severity stays as it was.`;
    case 'unchanged':
      return `ℹ️ *${outcome.incident.id}* is already ${outcome.severity}.`;
  }
}

const ONCALL_PROBLEMS: Record<Extract<OncallChange, { ok: false }>['reason'], string> = {
  invalid_phone:
    'That phone number is not E.164 (`+81 90-1234-5678`) nor a national number of DEFAULT_PHONE_REGION (`090-1234-5678`).',
  already_listed: 'That person is already on call; use `/oncall move` to change their place.',
  not_listed: 'That person is not on the on-call list.',
  invalid_priority: 'Priorities are whole numbers from 1 (called first).',
};

export function oncallProblemText(change: Extract<OncallChange, { ok: false }>): string {
  return `⚠️ ${ONCALL_PROBLEMS[change.reason]}`;
}

export function oncallAddedText(userId: string, phone: string, priority: number, asked?: number): string {
  // A priority past the end of the list becomes the last place: say so, so nobody thinks they are 5th of 2.
  const changed =
    asked !== undefined && asked !== priority
      ? ` (priority ${asked} → ${priority}: priorities are kept 1, 2, 3… in order)`
      : '';
  return `📞 Added <@${userId}> (${maskPhone(phone)}) at priority ${priority}${changed}.`;
}
