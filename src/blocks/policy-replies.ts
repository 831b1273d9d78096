/** Replies to `/incident policy` (issue 19). Pure. */
import { RESPONDERS_POLICY_ID, type OncallConfig } from '../domain/oncall-config.js';
import type { PolicyOutcome } from '../domain/incident-outcomes.js';
import { escapeMrkdwn } from './format.js';
import { notFoundText } from './outcomes.js';

/** Every policy an incident may follow: the flat list, then the file's, in its order. */
export function policyIds(config: Pick<OncallConfig, 'escalationPolicies'>): string[] {
  return [RESPONDERS_POLICY_ID, ...config.escalationPolicies.map((p) => p.id)];
}

export function unknownPolicyText(given: string, known: readonly string[]): string {
  return `⚠️ There is no escalation policy \`${escapeMrkdwn(given)}\` (policies: ${known.join(', ')}).`;
}

export function policyOutcomeText(id: string, outcome: PolicyOutcome): string {
  if (outcome.ok) {
    const policy = escapeMrkdwn(outcome.incident.policy ?? RESPONDERS_POLICY_ID);
    return `📟 *${outcome.incident.id}* now follows the escalation policy ${policy}, from its first step.`;
  }
  switch (outcome.reason) {
    case 'not_found':
      return notFoundText(id);
    case 'resolved':
      return `ℹ️ *${outcome.incident.id}* is resolved; its policy stays as it was.`;
    case 'unchanged':
      return `ℹ️ *${outcome.incident.id}* already follows ${escapeMrkdwn(outcome.policy)}.`;
  }
}
