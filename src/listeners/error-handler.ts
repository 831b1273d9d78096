/**
 * The one place where listener failures become something a person sees. A known AppError with a user
 * message answers ephemerally with it; anything else is logged and answered with a generic apology, so a
 * stack trace or an SDK message (which may carry ids or tokens) never reaches a channel.
 */
import type { Logger } from '../logger.js';
import { isAppError } from '../errors.js';

export interface EphemeralReply {
  (text: string): Promise<unknown>;
}

export async function reportListenerError(
  error: unknown,
  context: { logger: Logger; reply?: EphemeralReply | undefined; what: string },
): Promise<void> {
  const known = isAppError(error) && error.status < 500 && error.userMessage !== undefined;
  if (known) context.logger.info({ code: error.code, what: context.what }, error.message);
  else context.logger.error({ err: error, what: context.what }, 'listener failed');
  if (!context.reply) return;
  const text = known
    ? `:warning: ${error.userMessage}`
    : ':warning: Something went wrong on our side; it has been logged.';
  try {
    await context.reply(text);
  } catch (replyError) {
    context.logger.warn({ err: replyError, what: context.what }, 'could not tell the user about an error');
  }
}
