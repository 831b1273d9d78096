/**
 * Slack payloads checked at the listener boundary: one small schema per kind, run as Bolt listener middleware
 * before the listener reads a field (registered in index.ts). A valid signature proves a payload came from
 * Slack, not that it carries what the listener needs; before this, a slash command without `text` or a modal
 * without `view.state` threw inside the listener (a stack in the log, and no ack, so the person saw Slack's
 * timeout), and a button without `response_url` threw when it tried to answer.
 *
 * A payload without a field its listener needs is answered and not processed: a command gets an ephemeral
 * line naming what was missing, a button or a modal an empty ack, an event nothing; each is one warning in the
 * log naming the fields, never a stack.
 *
 * Slack is the reference for what is required (https://docs.slack.dev/reference/interaction-payloads,
 * https://docs.slack.dev/interactivity/implementing-slash-commands). What Slack documents as sometimes absent
 * is not required here, and the listeners handle its absence: a block_actions payload from App Home or a modal
 * has no `response_url`, `channel` or `message`, and one from an ephemeral message no `message`; an
 * app_mention posted by a bot or a workflow has no `user`; a slash command's `text` is present but may be empty.
 */
import type {
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import * as z from '../domain/zod.js';
import type { Logger } from '../logger.js';

const id = z.string().check(z.minLength(1));

/** Every field Slack sends with every command and Hikeshi reads; `text` may be empty. */
export const slashCommandSchema = z.object({
  command: id,
  text: z.string(),
  user_id: id,
  channel_id: id,
  trigger_id: id,
  response_url: id,
});

/**
 * Hikeshi's buttons (incident and task) all carry the id they act on as their value. No `response_url`,
 * `channel` or `message`: Slack leaves them out for App Home and modals, and the listeners do without.
 */
export const buttonSchema = z.object({
  user: z.object({ id }),
  actions: z.array(z.object({ action_id: id, value: id })).check(z.minLength(1)),
});

/** The incident message's overflow menu: Slack sends the chosen option (and no `value` on the action itself). */
export const menuSchema = z.object({
  user: z.object({ id }),
  actions: z
    .array(z.object({ action_id: id, selected_option: z.object({ value: id }) }))
    .check(z.minLength(1)),
});

export const viewSubmissionSchema = z.object({
  user: z.object({ id }),
  view: z.object({
    callback_id: id,
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }),
  }),
});

/** A message shortcut: who, where, and the message (its `thread_ts` only when it is in a thread). */
export const messageShortcutSchema = z.object({
  user: z.object({ id }),
  channel: z.object({ id }),
  message: z.object({ ts: id, thread_ts: z.optional(id) }),
});

export const appHomeOpenedSchema = z.object({ user: id, tab: z.optional(z.string()) });

export const appMentionSchema = z.object({
  user: z.optional(id),
  channel: id,
  ts: id,
  text: z.string(),
  thread_ts: z.optional(id),
});

/** The fields that are missing or malformed, as `a.b.0.c` paths, or undefined when the payload is valid. */
export function invalidFields(schema: z.ZodMiniType, payload: unknown): string[] | undefined {
  const result = schema.safeParse(payload);
  if (result.success) return undefined;
  const paths = result.error.issues.map((issue) => issue.path.map(String).join('.') || '(payload)');
  return [...new Set(paths)];
}

export function incompletePayloadText(fields: readonly string[]): string {
  const named = fields.map((field) => `\`${field}\``).join(', ');
  return `:warning: Slack sent this without ${named}, so Hikeshi did nothing. Please try again.`;
}

function warn(logger: Logger, kind: string, name: string, fields: string[]): void {
  logger.warn(
    { kind, name, fields },
    'Slack payload without fields its listener needs: answered, not processed',
  );
}

export function checkCommand(logger: Logger): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, next }) => {
    const fields = invalidFields(slashCommandSchema, command);
    if (fields === undefined) return next();
    warn(logger, 'slash_command', String(command.command), fields);
    await ack({ response_type: 'ephemeral', text: incompletePayloadText(fields) });
  };
}

export function checkButton(
  logger: Logger,
  schema: z.ZodMiniType = buttonSchema,
): Middleware<SlackActionMiddlewareArgs> {
  return async (args) => {
    const { body, ack, next } = args;
    const fields = invalidFields(schema, body);
    if (fields === undefined) return next();
    const action = (body as { actions?: { action_id?: unknown }[] }).actions?.[0]?.action_id;
    warn(logger, 'block_actions', String(action), fields);
    await ack();
    // Bolt gives `respond` only when Slack sent a response_url (never from App Home or a modal).
    const respond = (args as { respond?: SlackActionMiddlewareArgs['respond'] }).respond;
    await respond?.({
      response_type: 'ephemeral',
      replace_original: false,
      text: incompletePayloadText(fields),
    }).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not tell the user about an incomplete payload');
    });
  };
}

export function checkShortcut(logger: Logger): Middleware<SlackShortcutMiddlewareArgs> {
  return async ({ body, ack, next }) => {
    const fields = invalidFields(messageShortcutSchema, body);
    if (fields === undefined) return next();
    warn(logger, body.type, body.callback_id, fields);
    await ack();
  };
}

export function checkViewSubmission(logger: Logger): Middleware<SlackViewMiddlewareArgs> {
  return async ({ body, ack, next }) => {
    const fields = invalidFields(viewSubmissionSchema, body);
    if (fields === undefined) return next();
    warn(
      logger,
      body.type,
      String((body.view as { callback_id?: unknown } | undefined)?.callback_id),
      fields,
    );
    // Without the form's values there is nothing to check or show errors against; the modal closes.
    await ack();
  };
}

export function checkEvent(logger: Logger, schema: z.ZodMiniType): Middleware<SlackEventMiddlewareArgs> {
  return async ({ event, next }) => {
    const fields = invalidFields(schema, event);
    if (fields === undefined) return next();
    // Bolt has already acknowledged the event; there is no one to answer.
    warn(
      logger,
      'event',
      event.type,
      fields.map((field) => `event.${field}`),
    );
  };
}
