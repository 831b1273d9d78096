/**
 * Acting from inside an incident's thread. Slack sends no thread with a slash command, so the thread's incident
 * is known only to what Slack sends with its thread: an `app_mention` (`thread_ts`) and a message shortcut (the
 * message, with its `thread_ts` when it is in a thread). The answer goes back to that thread, to the person
 * only (chat.postEphemeral with `thread_ts`: https://docs.slack.dev/reference/methods/chat.postEphemeral).
 */
import type { WebClient } from '@slack/web-api';
import type { VerbReply } from './incident-verbs.js';

export function ephemeralInThread(
  client: WebClient,
  where: { channel: string; user: string; threadTs: string | undefined },
): VerbReply {
  const base = {
    channel: where.channel,
    user: where.user,
    ...(where.threadTs === undefined ? {} : { thread_ts: where.threadTs }),
  };
  return {
    text: (text) => client.chat.postEphemeral({ ...base, text }),
    message: (message) => client.chat.postEphemeral({ ...base, ...message }),
  };
}

/** The mention's words without the mentions themselves: `<@U0HIKESHI> ack` → `ack`. */
export function mentionWords(text: string): string {
  return text.replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, ' ').trim();
}
