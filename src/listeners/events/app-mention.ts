/**
 * `app_mention`. In an incident's thread, `@hikeshi ack` (or `resolve [note]`, `snooze 30m`, `severity
 * critical`, `analyze`, `report`, `show`, `calls`: the `/incident` verbs) acts on the thread's incident and
 * answers in the thread, to the person only; any other words ask the Bedrock agent again, in the incident's
 * session (the question is the mention's text). Anywhere else a verb needs an ID (`@hikeshi ack INC-42`), and
 * other words get a hint, in a thread so the channel stays quiet. Events API redeliveries (Slack retries after
 * 3 s) are skipped: the first delivery already acted.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { parseIncidentCommand } from '../commands/args.js';
import { guard } from '../guard.js';
import { isIncidentVerb, runIncidentVerb } from '../incident-verbs.js';
import { ephemeralInThread, mentionWords } from '../thread-reply.js';
import type { ListenerDeps } from '../types.js';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

export const MENTION_HINT =
  'Mention me in an incident’s thread to act on it (_@Hikeshi ack_, _@Hikeshi snooze 30m_) or to ask the Bedrock agent about it, e.g. _@Hikeshi what changed before this started?_';

export function createAppMention(deps: ListenerDeps) {
  return async ({ event, say, context, client }: MentionArgs): Promise<void> => {
    if ((context.retryNum ?? 0) > 0) return;
    const user = event.user;
    const threadTs = event.thread_ts;
    if (user === undefined) return; // a bot or workflow message mentioning the app
    const hint = (text: string) => say({ text, thread_ts: threadTs ?? event.ts });
    const parsed = parseIncidentCommand(mentionWords(event.text));
    if (isIncidentVerb(parsed)) {
      const reply = ephemeralInThread(client, {
        channel: event.channel,
        user,
        threadTs: threadTs ?? event.ts,
      });
      await guard(deps, `@hikeshi ${parsed.kind}`, reply.text, async () => {
        const inThread =
          threadTs === undefined
            ? undefined
            : await deps.services.incidents.findByThread(event.channel, threadTs);
        const id = parsed.id ?? inThread?.id;
        if (id === undefined) {
          await reply.text(
            `Which incident? Mention me in the incident’s thread, or give its ID: _@Hikeshi ${parsed.kind} INC-42_.`,
          );
          return;
        }
        await runIncidentVerb(deps, parsed, id, user, reply);
      });
      return;
    }
    await guard(deps, 'app mention', hint, async () => {
      const asked =
        threadTs !== undefined &&
        (await deps.services.analysis.followUp({
          channel: event.channel,
          threadTs,
          userId: user,
          text: event.text,
        }));
      if (!asked) await hint(MENTION_HINT);
    });
  };
}
