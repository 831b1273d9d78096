/**
 * What an escalation policy's Slack step says (issue 19): the DM each target gets, with the incident message's
 * Acknowledge and Resolve buttons (same action ids and value, so they act exactly as on the message), and the
 * note in the incident thread that mentions the step's targets. Pure.
 */
import { escapeMrkdwn, SEVERITY_EMOJI } from './format.js';
import { actions, button, context, section, type KnownBlock } from './kit.js';
import { Actions } from './ids.js';
import { ButtonLabels } from './incident-message.js';
import type { Incident } from '../domain/incident.js';
import type { EscalationPolicy } from '../domain/oncall-config.js';
import { stepLabel, type PolicyChain } from '../domain/policy-chain.js';

export function buildEscalationDm(
  incident: Pick<Incident, 'id' | 'title' | 'severity' | 'slack'>,
  policy: Pick<EscalationPolicy, 'id' | 'steps' | 'repeat'>,
  chain: Pick<PolicyChain, 'step' | 'pass'>,
): { text: string; blocks: KnownBlock[] } {
  const title = escapeMrkdwn(incident.title);
  const text = `${SEVERITY_EMOJI[incident.severity]} ${incident.id} needs you: ${title}`;
  return {
    text,
    blocks: [
      section(`*${text}*`),
      context([
        `Escalation policy ${escapeMrkdwn(policy.id)}, ${stepLabel(chain, policy as EscalationPolicy)} · ${incident.severity}`,
      ]),
      actions([
        button(ButtonLabels.acknowledge, Actions.acknowledge, incident.id, 'primary'),
        button(ButtonLabels.resolve, Actions.resolve, incident.id, 'danger'),
      ]),
    ],
  };
}

/** The thread note of a step: who it mentions in Slack, who it calls, and who it could not reach. */
export function stepNoteText(input: {
  policy: string;
  label: string;
  users: readonly string[];
  slackTo: readonly string[];
  phoneTo: readonly string[];
  phone: boolean;
  phoneEnabled: boolean;
}): string {
  const head = `🔔 Policy ${escapeMrkdwn(input.policy)}, ${input.label}:`;
  if (input.users.length === 0) return `${head} nobody to notify (no one is on call for its targets)`;
  const parts: string[] = [];
  const mention = (users: readonly string[]) => users.map((u) => `<@${u}>`).join(' ');
  if (input.slackTo.length > 0) parts.push(`${mention(input.slackTo)} please take a look`);
  if (input.phoneTo.length > 0) parts.push(`calling ${mention(input.phoneTo)}`);
  if (input.phone && !input.phoneEnabled) parts.push('no phone is configured, so nobody is called');
  if (parts.length === 0) parts.push(`${mention(input.users)} already notified`);
  return `${head} ${parts.join('; ')}`;
}
