/**
 * What `/incident <verb> ID`, `@hikeshi <verb>` in an incident's thread and the message shortcut share: one
 * incident named, one service call, one answer to the person. Each entry point decides how the answer reaches
 * the person (a slash command's response_url; an ephemeral message in the thread for a mention or a shortcut).
 */
import { buildCallHistory } from '../blocks/calls.js';
import { buildIncidentDetail } from '../blocks/incident-list.js';
import {
  acknowledgeOutcomeText,
  notFoundText,
  resolveOutcomeText,
  severityOutcomeText,
  snoozeOutcomeText,
  unsnoozeOutcomeText,
} from '../blocks/outcomes.js';
import { policyIds, policyOutcomeText, unknownPolicyText } from '../blocks/policy-replies.js';
import { silenceStartedText } from '../blocks/silences.js';
import type { Reply } from '../blocks/usage.js';
import type { IncidentCommand } from './commands/args.js';
import type { ListenerDeps } from './types.js';

/** The verbs that act on one incident (the rest of `/incident` lists, opens a modal or explains). */
export type IncidentVerb = Exclude<IncidentCommand, { kind: 'help' | 'list' | 'new' | 'error' }>;

export function isIncidentVerb(parsed: IncidentCommand): parsed is IncidentVerb {
  return !['help', 'list', 'new', 'error'].includes(parsed.kind);
}

/** How the answer reaches the person: a line of text, or a message with blocks. */
export interface VerbReply {
  text(text: string): Promise<unknown>;
  message(message: Reply): Promise<unknown>;
}

export async function runIncidentVerb(
  deps: ListenerDeps,
  verb: IncidentVerb,
  id: string,
  by: string,
  reply: VerbReply,
): Promise<void> {
  const { incidents } = deps.services;
  switch (verb.kind) {
    case 'show': {
      const incident = await incidents.get(id);
      if (!incident) await reply.text(notFoundText(id));
      else await reply.message(buildIncidentDetail(incident));
      return;
    }
    case 'ack':
      await reply.text(acknowledgeOutcomeText(id, await incidents.acknowledge(id, by)));
      return;
    case 'resolve':
      await reply.text(resolveOutcomeText(id, await incidents.resolve(id, by, verb.note)));
      return;
    case 'snooze':
      await reply.text(snoozeOutcomeText(id, await incidents.snooze(id, by, verb.durationMs)));
      return;
    case 'unsnooze':
      await reply.text(unsnoozeOutcomeText(id, await incidents.unsnooze(id, by)));
      return;
    case 'severity':
      await reply.text(severityOutcomeText(id, await incidents.setSeverity(id, by, verb.severity)));
      return;
    case 'policy': {
      const known = policyIds(deps.services.oncallConfig.current());
      const policy = known.find((p) => p.toLowerCase() === verb.policy.toLowerCase());
      if (policy === undefined) await reply.text(unknownPolicyText(verb.policy, known));
      else await reply.text(policyOutcomeText(id, await incidents.setPolicy(id, by, policy)));
      return;
    }
    case 'silence': {
      const input = { durationMs: verb.durationMs, comment: verb.comment ?? '' };
      const r = await deps.services.silences.silenceIncident(id, input, by);
      if (r.ok) await reply.text(silenceStartedText(r.silence, deps.clock.now()));
      else await reply.text(r.reason === 'not_found' ? notFoundText(id) : `⚠️ ${r.problem}`);
      return;
    }
    case 'analyze':
      await deps.services.analysis.request(id, { requestedBy: by });
      return;
    case 'report':
      await deps.services.reports.request(id, { requestedBy: by });
      return;
    case 'calls': {
      const { escalation } = deps.services;
      if (!(await incidents.get(id))) {
        await reply.text(notFoundText(id));
        return;
      }
      const { chain, records } = await escalation.calls(id);
      await reply.message(buildCallHistory({ incidentId: id, chain, records, enabled: escalation.enabled }));
      return;
    }
  }
}
