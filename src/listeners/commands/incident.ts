import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../types.js';

export const INCIDENT_USAGE = [
  '*Usage:* `/incident <subcommand>`',
  '• `ack [ID]` acknowledge an incident (the ID may be left out inside its thread)',
  '• `resolve [ID] [note]` resolve it',
  '• `list` open incidents, newest first',
  '• `show ID` one incident',
  '• `new` open an incident by hand',
  '• `help` this text',
].join('\n');

/** `/incident …`: thin, parses the words and hands them to the incident service. */
export function createIncidentCommand(_deps: ListenerDeps) {
  return async ({ ack, command }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const [sub = 'help'] = command.text.trim().split(/\s+/).filter(Boolean);
    if (sub === 'help') {
      await ack({ response_type: 'ephemeral', text: INCIDENT_USAGE });
      return;
    }
    await ack({
      response_type: 'ephemeral',
      text: `:warning: Unknown subcommand \`${sub}\`.\n${INCIDENT_USAGE}`,
    });
  };
}
