/**
 * `/incident …`: parses the words (commands/args.ts), asks the incident service, and answers ephemerally.
 * Quick answers go in the ack itself; anything that might be slow runs after it.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildIncidentDetail, buildIncidentList } from '../../blocks/incident-list.js';
import { buildNewIncidentModal } from '../../blocks/modals.js';
import { buildCallHistory } from '../../blocks/calls.js';
import {
  acknowledgeOutcomeText,
  notFoundText,
  resolveOutcomeText,
  severityOutcomeText,
  snoozeOutcomeText,
  unsnoozeOutcomeText,
} from '../../blocks/outcomes.js';
import { silenceStartedText } from '../../blocks/silences.js';
import { INCIDENT_USAGE, usageReply } from '../../blocks/usage.js';
import { policyIds, policyOutcomeText, unknownPolicyText } from '../../blocks/policy-replies.js';
import { guard } from '../guard.js';
import { Views } from '../../blocks/ids.js';
import type { ListenerDeps } from '../types.js';
import { parseIncidentCommand } from './args.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export { INCIDENT_USAGE };

/**
 * Slack does not say which thread a command was typed in, except through `thread_ts` where the client
 * sends it (the local emulator does). Without it, the ID must be given.
 */
function threadOf(command: CommandArgs['command']): string | undefined {
  const ts = (command as { thread_ts?: unknown }).thread_ts;
  return typeof ts === 'string' && ts !== '' ? ts : undefined;
}

export function createIncidentCommand(deps: ListenerDeps) {
  const { incidents } = deps.services;
  return async (args: CommandArgs): Promise<void> => {
    const { command, ack, respond } = args;
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    const parsed = parseIncidentCommand(command.text);

    const incidentIdFor = async (given: string | undefined): Promise<string | undefined> => {
      if (given) return given;
      const threadTs = threadOf(command);
      if (!threadTs) return undefined;
      return (await incidents.findByThread(command.channel_id, threadTs))?.id;
    };

    switch (parsed.kind) {
      case 'help':
        await ack({ response_type: 'ephemeral', ...usageReply(INCIDENT_USAGE) });
        return;
      case 'error':
        await ack({ response_type: 'ephemeral', ...usageReply(INCIDENT_USAGE, parsed.problem) });
        return;
      case 'list': {
        const open = await incidents.listOpen();
        await ack({ response_type: 'ephemeral', ...buildIncidentList(open) });
        return;
      }
      case 'new':
        await ack();
        await guard(deps, '/incident new', reply, async () => {
          await args.client.views.open({
            trigger_id: command.trigger_id,
            view: buildNewIncidentModal({ privateMetadata: JSON.stringify({ channel: command.channel_id }) }),
          });
        });
        return;
      default:
        break;
    }

    // The rest name an incident, given or taken from the thread.
    const id = await incidentIdFor(parsed.id);
    if (!id) {
      await ack({
        response_type: 'ephemeral',
        ...usageReply(
          INCIDENT_USAGE,
          `Which incident? Give its ID, e.g. \`/incident ${parsed.kind} INC-42\`.`,
        ),
      });
      return;
    }
    await ack();
    await guard(deps, `/incident ${parsed.kind}`, reply, async () => {
      const by = command.user_id;
      switch (parsed.kind) {
        case 'show': {
          const incident = await incidents.get(id);
          if (!incident) await reply(notFoundText(id));
          else await respond({ response_type: 'ephemeral', ...buildIncidentDetail(incident) });
          return;
        }
        case 'ack':
          await reply(acknowledgeOutcomeText(id, await incidents.acknowledge(id, by)));
          return;
        case 'resolve':
          await reply(resolveOutcomeText(id, await incidents.resolve(id, by, parsed.note)));
          return;
        case 'snooze':
          await reply(snoozeOutcomeText(id, await incidents.snooze(id, by, parsed.durationMs)));
          return;
        case 'unsnooze':
          await reply(unsnoozeOutcomeText(id, await incidents.unsnooze(id, by)));
          return;
        case 'severity':
          await reply(severityOutcomeText(id, await incidents.setSeverity(id, by, parsed.severity)));
          return;
        case 'policy': {
          const known = policyIds(deps.services.oncallConfig.current());
          const policy = known.find((p) => p.toLowerCase() === parsed.policy.toLowerCase());
          if (policy === undefined) await reply(unknownPolicyText(parsed.policy, known));
          else await reply(policyOutcomeText(id, await incidents.setPolicy(id, by, policy)));
          return;
        }
        case 'silence': {
          const input = { durationMs: parsed.durationMs, comment: parsed.comment ?? '' };
          const r = await deps.services.silences.silenceIncident(id, input, by);
          if (r.ok) await reply(silenceStartedText(r.silence, deps.clock.now()));
          else await reply(r.reason === 'not_found' ? notFoundText(id) : `⚠️ ${r.problem}`);
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
            await reply(notFoundText(id));
            return;
          }
          const { chain, records } = await escalation.calls(id);
          await respond({
            response_type: 'ephemeral',
            ...buildCallHistory({ incidentId: id, chain, records, enabled: escalation.enabled }),
          });
          return;
        }
      }
    });
  };
}

export const NEW_INCIDENT_VIEW = Views.newIncident;
