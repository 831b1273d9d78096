/**
 * The incident message's overflow menu ("⋮", Block Kit `overflow`): snooze and severity, the two changes that
 * need a choice rather than a button. Slack allows five options, so the menu offers the common snoozes and the
 * three other severities; `/incident snooze [ID] 1d` and `/incident severity [ID] …` take any value.
 * https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element
 *
 * Each option's value is `<incident id>|<choice>`, parsed back by `parseMenuChoice` when Slack sends the
 * chosen option (a block_actions payload with `selected_option`).
 */
import { SEVERITIES, isSeverity, type Severity } from '../domain/alert.js';
import { parseDuration } from '../domain/duration.js';
import { isOpen, type Incident } from '../domain/incident.js';
import { isSnoozed } from '../domain/snooze.js';
import { Actions } from './ids.js';
import { overflow, type Overflow } from './kit.js';

export type MenuChoice =
  | { incidentId: string; kind: 'snooze'; durationMs: number }
  | { incidentId: string; kind: 'unsnooze' }
  | { incidentId: string; kind: 'severity'; severity: Severity };

const SNOOZES = [
  { text: 'Snooze 30 minutes', value: '30m' },
  { text: 'Snooze 2 hours', value: '2h' },
];

/** The menu of an open incident; undefined once it is resolved (nothing to snooze or grade). */
export function incidentMenu(
  incident: Pick<Incident, 'id' | 'status' | 'severity' | 'snoozedUntil'>,
  now?: number,
): Overflow | undefined {
  if (!isOpen(incident)) return undefined;
  const snoozed = now === undefined ? incident.snoozedUntil !== undefined : isSnoozed(incident, now);
  const first = SNOOZES[0] ?? { text: 'Snooze', value: '30m' };
  const second = snoozed ? { text: 'End snooze', value: 'unsnooze' } : (SNOOZES[1] ?? first);
  const snoozeOptions = [first, second].map((o) => ({
    text: o.text,
    value: `${incident.id}|${o.value === 'unsnooze' ? 'unsnooze' : `snooze:${o.value}`}`,
  }));
  const severities = SEVERITIES.filter((s) => s !== incident.severity).map((s) => ({
    text: `Severity: ${s}`,
    value: `${incident.id}|severity:${s}`,
  }));
  return overflow(Actions.menu, [...snoozeOptions, ...severities]);
}

/** A chosen option's value back to what it asks for; undefined for anything this menu never offered. */
export function parseMenuChoice(value: string): MenuChoice | undefined {
  const [incidentId, choice, ...rest] = value.split('|');
  if (incidentId === undefined || incidentId === '' || choice === undefined || rest.length > 0)
    return undefined;
  if (choice === 'unsnooze') return { incidentId, kind: 'unsnooze' };
  const [kind, argument = ''] = choice.split(':');
  if (kind === 'snooze') {
    const durationMs = parseDuration(argument);
    return durationMs === undefined ? undefined : { incidentId, kind, durationMs };
  }
  if (kind === 'severity' && isSeverity(argument)) return { incidentId, kind, severity: argument };
  return undefined;
}
