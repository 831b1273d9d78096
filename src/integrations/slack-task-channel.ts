/**
 * The TaskChannel (src/services/ports/task-channel.ts) on Slack's Web API, with the Bolt app's WebClient.
 * Failures become `AppError(SLACK_API_ERROR)` carrying Slack's error code, so the task is retried (and, when Slack
 * keeps refusing, dead-lettered) with a reason a person can act on.
 */
import type { WebClient } from '@slack/web-api';
import { buildTaskMessage } from '../blocks/task-message.js';
import { AppError, ErrorCode } from '../errors.js';
import type { TaskChannel } from '../services/ports/task-channel.js';
import { slackErrorCode } from './slack-publisher-state.js';

export interface SlackTaskChannelOptions {
  client: WebClient;
  /** Channel id or name (`SLACK_TASK_CHANNEL`). */
  channel: string;
}

async function slackCall<T>(method: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const code = slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
    throw new AppError(ErrorCode.SlackApiError, `Slack ${method} failed: ${code}`, {
      cause: error,
      details: { service: 'slack', method, error: code },
    });
  }
}

export function createSlackTaskChannel(options: SlackTaskChannelOptions): TaskChannel {
  const { client } = options;
  return {
    async post(task) {
      const message = buildTaskMessage(task);
      const result = await slackCall('chat.postMessage', () =>
        client.chat.postMessage({
          channel: options.channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          // Lets other tools (and a later listener) find the task behind a message without parsing blocks.
          metadata: { event_type: 'hikeshi_task', event_payload: { task_id: task.id } },
        }),
      );
      if (typeof result.channel !== 'string' || typeof result.ts !== 'string') {
        throw new AppError(ErrorCode.SlackApiError, 'Slack chat.postMessage answered without channel and ts');
      }
      return { channel: result.channel, ts: result.ts };
    },

    async permalink(message) {
      const result = await slackCall('chat.getPermalink', () =>
        client.chat.getPermalink({ channel: message.channel, message_ts: message.ts }),
      );
      if (typeof result.permalink !== 'string') {
        throw new AppError(ErrorCode.SlackApiError, 'Slack chat.getPermalink answered without a permalink');
      }
      return result.permalink;
    },

    async reply(message, text) {
      await slackCall('chat.postMessage', () =>
        client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text }),
      );
    },
  };
}
