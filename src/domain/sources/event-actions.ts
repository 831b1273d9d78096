/**
 * What a signal asks for — trigger, acknowledge or resolve — as PagerDuty's Events API v2 names it
 * (`event_action`), shared by the Events v2 parser and Hikeshi's own format, which also takes the incident
 * status words (`status: "triggered" | "acknowledged" | "resolved"`).
 * https://developer.pagerduty.com/docs/events-api-v2/overview/
 */
import * as z from '../zod.js';
import type { AlertAction, AlertLink, AlertSignal } from '../alert.js';

export const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const satisfies readonly AlertAction[];
export const eventActionSchema = z.enum(EVENT_ACTIONS);

/** The incident status a sender asks for, and the action that gets it there. */
export const ACTION_OF_STATUS = {
  triggered: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
} as const satisfies Record<string, AlertAction>;
export const alertStatusSchema = z.enum(['triggered', 'acknowledged', 'resolved']);

/**
 * An acknowledge or resolve. The incident is found by the key (the dedup key, or the fingerprint of source and
 * title); the signal carries no severity, and its title is only a placeholder, so neither can change the
 * incident (PagerDuty, too, ignores the payload of these events).
 */
export function updateSignal(input: {
  action: Exclude<AlertAction, 'trigger'>;
  title: string;
  dedupKey?: string | undefined;
  source?: string | undefined;
  links: AlertLink[];
}): AlertSignal {
  return {
    action: input.action,
    title: input.title,
    links: input.links,
    ...(input.dedupKey !== undefined ? { dedupKey: input.dedupKey } : {}),
    ...(input.source !== undefined ? { source: input.source } : {}),
  };
}
