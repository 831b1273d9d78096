/**
 * Events API redeliveries are acknowledged without redoing the work. Slack resends an event it thinks we
 * missed (up to 3 times, `X-Slack-Retry-Num` / Socket Mode `retry_attempt`), with the same `event_id`:
 * https://docs.slack.dev/apis/events-api/#retries
 *
 * Keyed by `event_id`, not by the retry header, because the header alone cannot tell what happened to the
 * first delivery. With reason `http_timeout` our first attempt may still be running (a cold Lambda, a slow
 * Slack call); with `http_error` or `connection_failed` it may never have run at all. So every event is
 * claimed in the Dedup table before its listeners run:
 *   - the claim succeeds: first delivery (or a retry of one that never reached us): process it;
 *   - the claim exists: the first delivery is running or done: skip (Bolt has already acked events);
 *   - the listeners throw: the claim is released, so Slack's next retry processes the event again.
 * Interactive payloads and slash commands are never retried by Slack, so they pass straight through.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { DeliveryClaims } from '../services/ports/delivery-claims.js';

/** Slack gives up retrying after about five minutes; an hour covers it with room to spare. */
export const SLACK_EVENT_CLAIM_TTL_SECONDS = 3600;

/** The Events API identity of a request body, when it is an event callback. */
export function slackEventId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { type, event_id: eventId } = body as { type?: unknown; event_id?: unknown };
  return type === 'event_callback' && typeof eventId === 'string' && eventId !== '' ? eventId : undefined;
}

export function createSlackRetryGuard(deps: {
  dedup: Pick<DeliveryClaims, 'claim' | 'release'>;
  logger: Logger;
}): Middleware<AnyMiddlewareArgs> {
  const log = deps.logger.child({ component: 'slack-retries' });
  return async ({ body, context, next }) => {
    const eventId = slackEventId(body);
    if (eventId === undefined) {
      await next();
      return;
    }
    const key = `slack-event:${eventId}`;
    if (!(await deps.dedup.claim(key, SLACK_EVENT_CLAIM_TTL_SECONDS))) {
      log.info(
        { eventId, retryNum: context.retryNum, retryReason: context.retryReason },
        'Slack redelivered an event that is already processed or in progress: acknowledged, not redone',
      );
      return;
    }
    try {
      await next();
    } catch (error) {
      await deps.dedup.release(key).catch((releaseError: unknown) => {
        log.warn(
          { err: releaseError, eventId },
          'could not release the event claim; a retry will be skipped',
        );
      });
      throw error;
    }
  };
}
