/**
 * `/incident …`: parses the words (commands/args.ts), asks the incident service, and answers ephemerally.
 * Quick answers go in the ack itself; anything that might be slow runs after it.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildIncidentList } from '../../blocks/incident-list.js';
import { buildNewIncidentModal } from '../../blocks/modals.js';
import { INCIDENT_USAGE, usageReply } from '../../blocks/usage.js';
import { guard } from '../guard.js';
import { Views } from '../../blocks/ids.js';
import { runIncidentVerb } from '../incident-verbs.js';
import type { ListenerDeps } from '../types.js';
import { parseIncidentCommand } from './args.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

export { INCIDENT_USAGE };

export function createIncidentCommand(deps: ListenerDeps) {
  const { incidents } = deps.services;
  return async (args: CommandArgs): Promise<void> => {
    const { command, ack, respond } = args;
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    const parsed = parseIncidentCommand(command.text);

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

    // The rest name an incident. Slack does not say where a command was typed (no thread), so the ID is
    // needed; inside a thread, `@hikeshi ack` or the message shortcut know the incident (events/app-mention.ts).
    const id = parsed.id;
    if (!id) {
      await ack({
        response_type: 'ephemeral',
        ...usageReply(
          INCIDENT_USAGE,
          `Which incident? Give its ID, e.g. \`/incident ${parsed.kind} INC-42\`, or mention me in the incident’s thread: \`@hikeshi ${parsed.kind}\`.`,
        ),
      });
      return;
    }
    await ack();
    await guard(deps, `/incident ${parsed.kind}`, reply, async () => {
      await runIncidentVerb(deps, parsed, id, command.user_id, {
        text: reply,
        message: (message) => respond({ response_type: 'ephemeral', ...message }),
      });
    });
  };
}

export const NEW_INCIDENT_VIEW = Views.newIncident;
