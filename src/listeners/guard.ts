import { reportListenerError, type EphemeralReply } from './error-handler.js';
import type { ListenerDeps } from './types.js';

/**
 * Runs a listener's work after its ack: any failure goes to the one error handler, which answers the person
 * ephemerally (a known AppError's user message, or a generic apology) instead of failing silently.
 */
export async function guard(
  deps: ListenerDeps,
  what: string,
  reply: EphemeralReply | undefined,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    await reportListenerError(error, { logger: deps.logger, reply, what });
  }
}
