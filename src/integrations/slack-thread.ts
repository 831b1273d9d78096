/**
 * The SlackThread port on Slack's Web API (the Bolt app's WebClient). Failures become
 * AppError(SlackApiError) carrying Slack's error code, so services can tell the person what happened.
 * https://docs.slack.dev/reference/methods/conversations.replies (cursor pagination),
 * https://docs.slack.dev/reference/methods/chat.getPermalink
 */
import type { KnownBlock, WebClient } from '@slack/web-api';
import { AppError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { SlackThread, ThreadMessage, ThreadText } from '../services/ports/slack-thread.js';
import { slackErrorCode } from './slack-publisher-state.js';

export interface SlackThreadOptions {
  client: WebClient;
  logger: Logger;
  /** Page size of conversations.replies; Slack allows up to 1000 but recommends 200 or fewer. */
  pageSize?: number;
  /** Stop after this many pages (a runaway thread must not stall a report). Default 50. */
  maxPages?: number;
}

function wrap(error: unknown, method: string): AppError {
  if (error instanceof AppError) return error;
  const code = slackErrorCode(error);
  return new AppError(
    ErrorCode.SlackApiError,
    `Slack ${method} failed: ${code ?? (error as Error).message}`,
    {
      userMessage: `Slack refused ${method}${code === undefined ? '' : ` (${code})`}.`,
      details: { method, ...(code === undefined ? {} : { slackError: code }) },
      cause: error,
    },
  );
}

interface RawMessage {
  ts?: unknown;
  user?: unknown;
  bot_id?: unknown;
  text?: unknown;
}

function toThreadMessage(m: RawMessage): ThreadMessage | undefined {
  if (typeof m.ts !== 'string') return undefined;
  return {
    ts: m.ts,
    text: typeof m.text === 'string' ? m.text : '',
    ...(typeof m.user === 'string' ? { user: m.user } : {}),
    ...(typeof m.bot_id === 'string' ? { botId: m.bot_id } : {}),
  };
}

export function createSlackThread(options: SlackThreadOptions): SlackThread {
  const { client } = options;
  const pageSize = options.pageSize ?? 200;
  const maxPages = options.maxPages ?? 50;
  const names = new Map<string, Promise<string | undefined>>();

  const content = (message: ThreadText) => ({
    text: message.text,
    ...(message.blocks === undefined ? {} : { blocks: message.blocks as KnownBlock[] }),
  });

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw wrap(error, method);
    }
  }

  return {
    async post(channel, threadTs, message) {
      const result = await call('chat.postMessage', () =>
        client.chat.postMessage({ channel, thread_ts: threadTs, unfurl_links: false, ...content(message) }),
      );
      return String(result.ts);
    },

    async update(channel, ts, message) {
      await call('chat.update', () => client.chat.update({ channel, ts, ...content(message) }));
    },

    async replies(channel, threadTs) {
      const out: ThreadMessage[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < maxPages; page += 1) {
        const result = await call('conversations.replies', () =>
          client.conversations.replies({
            channel,
            ts: threadTs,
            limit: pageSize,
            ...(cursor === undefined ? {} : { cursor }),
          }),
        );
        for (const raw of result.messages ?? []) {
          const message = toThreadMessage(raw as RawMessage);
          // Each page repeats the parent first, as Slack does; keep it once.
          if (message && !(page > 0 && message.ts === threadTs)) out.push(message);
        }
        cursor = result.response_metadata?.next_cursor;
        if (cursor === undefined || cursor === '' || result.has_more === false) return out;
      }
      options.logger.warn(
        { channel, threadTs, pages: maxPages },
        'thread longer than the page limit; truncated',
      );
      return out;
    },

    async permalink(channel, ts) {
      try {
        const result = await client.chat.getPermalink({ channel, message_ts: ts });
        return typeof result.permalink === 'string' ? result.permalink : undefined;
      } catch (error) {
        options.logger.warn({ channel, ts, slackError: slackErrorCode(error) }, 'chat.getPermalink failed');
        return undefined;
      }
    },

    userName(userId) {
      let name = names.get(userId);
      if (name === undefined) {
        name = client.users.info({ user: userId }).then(
          // A report is read by people outside Slack too: the real name says more than a handle.
          ({ user }) =>
            [user?.real_name, user?.profile?.real_name, user?.profile?.display_name, user?.name].find(
              (name) => name !== undefined && name !== '',
            ),
          () => undefined,
        );
        names.set(userId, name);
      }
      return name;
    },
  };
}
