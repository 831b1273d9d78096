/**
 * The message shortcut "Acknowledge incident" (⋮ → on any message of an incident's thread, or on the incident's
 * message itself): a `message_action` payload names the message, whose `thread_ts` names the thread, whose
 * incident is acknowledged (https://docs.slack.dev/interactivity/implementing-shortcuts). The answer goes to that
 * thread, to the person only.
 */
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { guard } from '../guard.js';
import { runIncidentVerb } from '../incident-verbs.js';
import { ephemeralInThread } from '../thread-reply.js';
import type { ListenerDeps } from '../types.js';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

export const NOT_AN_INCIDENT_TEXT =
  'This message is not in an incident’s thread. Use the shortcut on the incident’s message or on a reply in its thread, or type `/incident ack INC-42`.';

export function createAcknowledgeShortcut(deps: ListenerDeps) {
  return async ({ shortcut, ack, client }: ShortcutArgs): Promise<void> => {
    await ack();
    const channel = shortcut.channel.id;
    const user = shortcut.user.id;
    const thread =
      typeof shortcut.message['thread_ts'] === 'string' ? shortcut.message['thread_ts'] : undefined;
    const root = thread ?? shortcut.message.ts;
    const reply = ephemeralInThread(client, { channel, user, threadTs: thread });
    await guard(deps, 'acknowledge shortcut', reply.text, async () => {
      const incident = await deps.services.incidents.findByThread(channel, root);
      if (!incident) {
        await reply.text(NOT_AN_INCIDENT_TEXT);
        return;
      }
      const inThread = ephemeralInThread(client, { channel, user, threadTs: root });
      await runIncidentVerb(deps, { kind: 'ack' }, incident.id, user, inThread);
    });
  };
}
