/**
 * `app_mention`: mentioning Hikeshi in an incident's thread asks the Bedrock agent again, in the incident's
 * session (the question is the mention's text). Anywhere else it answers with a hint, in a thread so the channel
 * stays quiet. Events API redeliveries (Slack retries after 3 s) are skipped: the first delivery already asked.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { guard } from '../guard.js';
import type { ListenerDeps } from '../types.js';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

export const MENTION_HINT =
  'Mention me in an incident’s thread to ask the Bedrock agent about it, e.g. _@Hikeshi what changed before this started?_';

export function createAppMention(deps: ListenerDeps) {
  return async ({ event, say, context }: MentionArgs): Promise<void> => {
    if ((context.retryNum ?? 0) > 0) return;
    const user = event.user;
    const threadTs = event.thread_ts;
    if (user === undefined) return; // a bot or workflow message mentioning the app
    const reply = (text: string) => say({ text, thread_ts: threadTs ?? event.ts });
    await guard(deps, 'app mention', reply, async () => {
      const asked =
        threadTs !== undefined &&
        (await deps.services.analysis.followUp({
          channel: event.channel,
          threadTs,
          userId: user,
          text: event.text,
        }));
      if (!asked) await reply(MENTION_HINT);
    });
  };
}
