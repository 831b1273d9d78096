/**
 * The OncallMessenger (src/services/ports/oncall-messenger.ts) on Slack's Web API.
 * - DMs are `chat.postMessage` with the user's id as `channel`, which Slack delivers to the app's DM with that
 *   person (its Messages tab) with `chat:write` alone, no `conversations.open` (im:write) first.
 *   https://docs.slack.dev/reference/methods/chat.postMessage#channels
 * - User groups: `usergroups.users.update` (scope `usergroups:write`) replaces the members. User groups exist
 *   only on paid plans; `paid_teams_only`, `missing_scope`, `not_allowed_token_type` and `permission_denied`
 *   say the sync cannot work here at all, and come back as `unavailable` for the caller to log once.
 *   https://docs.slack.dev/reference/methods/usergroups.users.update
 * Other failures become `AppError(SLACK_API_ERROR)` with Slack's error code.
 */
import type { WebClient } from '@slack/web-api';
import { AppError, ErrorCode } from '../errors.js';
import type { OncallMessenger } from '../services/ports/oncall-messenger.js';

const USERGROUPS_UNAVAILABLE = new Set([
  'paid_teams_only',
  'missing_scope',
  'not_allowed_token_type',
  'permission_denied',
  'no_permission',
]);

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

function slackFailure(method: string, error: unknown): AppError {
  const code = slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new AppError(ErrorCode.SlackApiError, `Slack ${method} failed: ${code}`, {
    cause: error,
    details: { service: 'slack', method, error: code },
  });
}

export function createSlackOncallMessenger(client: WebClient): OncallMessenger {
  const post: OncallMessenger['post'] = async (channel, message) => {
    let result;
    try {
      result = await client.chat.postMessage({
        channel,
        text: message.text,
        ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
        unfurl_links: false,
      });
    } catch (error) {
      throw slackFailure('chat.postMessage', error);
    }
    if (typeof result.channel !== 'string' || typeof result.ts !== 'string') {
      throw new AppError(ErrorCode.SlackApiError, 'Slack chat.postMessage answered without channel and ts');
    }
    return { channel: result.channel, ts: result.ts };
  };
  return {
    post,
    direct: (user, message) => post(user, message),
    async update(message, content) {
      try {
        await client.chat.update({
          channel: message.channel,
          ts: message.ts,
          text: content.text,
          blocks: content.blocks ?? [],
        });
      } catch (error) {
        throw slackFailure('chat.update', error);
      }
    },
    async setUsergroupUsers(usergroup, users) {
      try {
        await client.usergroups.users.update({ usergroup, users: users.join(',') });
        return { ok: true };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code !== undefined && USERGROUPS_UNAVAILABLE.has(code)) {
          return { ok: false, unavailable: true, reason: code };
        }
        throw slackFailure('usergroups.users.update', error);
      }
    },
  };
}
