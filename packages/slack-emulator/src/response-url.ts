/**
 * `POST /response/<id>`: the response_url handed out with slash commands and block actions
 * (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses). A response is
 * ephemeral unless `response_type: 'in_channel'`; `replace_original` / `delete_original` act on the message
 * the interaction came from. A URL works five times within thirty minutes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SlackApiError } from './api-error.js';
import { mediaType, parseForm, readBody, sendJson } from './http-util.js';
import { bool, parseJsonObject, str } from './json.js';
import { readMessageContent } from './messages.js';
import type { JsonObject } from './types.js';
import { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS, type Workspace } from './workspace.js';

export interface ResponseTarget {
  channel: string;
  /** The person who acted; ephemeral responses go to them. */
  user: string;
  threadTs?: string;
  /** The message the interaction came from, which replace/delete_original act on. */
  source?: { ts: string; ephemeral: boolean };
}

/**
 * Applies a message response (a response_url body, or a slash command's ack payload) to the workspace.
 * Throws SlackApiError for content Slack would reject.
 */
export function applyResponse(workspace: Workspace, target: ResponseTarget, body: JsonObject): void {
  const source = target.source;
  const original = source && !source.ephemeral ? workspace.message(target.channel, source.ts) : undefined;
  const originalEphemeral = source?.ephemeral ? workspace.ephemeral(source.ts) : undefined;
  if (bool(body, 'delete_original')) {
    if (original) workspace.deleteMessage(target.channel, original.ts);
    else if (originalEphemeral) workspace.deleteEphemeral(originalEphemeral.ts);
    else throw new SlackApiError('message_not_found');
    return;
  }
  const content = readMessageContent(body);
  if (bool(body, 'replace_original') && (original || originalEphemeral)) {
    if (original) workspace.updateMessage(original, content);
    else if (originalEphemeral) workspace.updateEphemeral(originalEphemeral, content);
    return;
  }
  const threadTs = str(body, 'thread_ts') ?? target.threadTs;
  const thread = threadTs === undefined || threadTs === '' ? {} : { threadTs };
  if (str(body, 'response_type') === 'in_channel') {
    workspace.postMessage({
      channel: target.channel,
      user: workspace.bot.userId,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...thread,
      asBot: true,
    });
    return;
  }
  workspace.postEphemeral({
    channel: target.channel,
    user: target.user,
    bot_id: workspace.bot.botId,
    text: content.text ?? '',
    blocks: content.blocks ?? [],
    attachments: content.attachments ?? [],
    ...(thread.threadTs === undefined ? {} : { thread_ts: thread.threadTs }),
  });
}

export function createResponseUrlHandler(workspace: Workspace) {
  return async function handleResponseUrl(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
  ): Promise<void> {
    const text = await readBody(req);
    // Bolt's respond() posts JSON; some clients post a form with a `payload` field.
    const form = mediaType(req) === 'application/x-www-form-urlencoded' ? parseForm(text) : undefined;
    const body = parseJsonObject(typeof form?.['payload'] === 'string' ? form['payload'] : text) ?? form;
    const record = workspace.responseUrl(id);
    const fail = (status: number, error: string): void => {
      workspace.recordCall({
        method: 'response_url',
        args: body ?? {},
        ok: false,
        error,
        at: workspace.clock.now(),
      });
      sendJson(res, status, { ok: false, error });
    };
    if (!record) return fail(404, 'expired_url');
    if (workspace.clock.now() - record.issuedAt > RESPONSE_URL_TTL_MS) return fail(404, 'expired_url');
    if (record.uses >= RESPONSE_URL_MAX_USES) return fail(404, 'used_url');
    if (!body) return fail(400, 'invalid_payload');
    record.uses += 1;
    try {
      applyResponse(
        workspace,
        {
          channel: record.channel,
          user: record.user,
          ...(record.threadTs === undefined ? {} : { threadTs: record.threadTs }),
          ...(record.messageTs === undefined
            ? {}
            : { source: { ts: record.messageTs, ephemeral: record.fromEphemeral } }),
        },
        body,
      );
    } catch (error) {
      if (error instanceof SlackApiError) return fail(400, error.code);
      throw error;
    }
    workspace.recordCall({ method: 'response_url', args: body, ok: true, at: workspace.clock.now() });
    sendJson(res, 200, { ok: true });
  };
}
