/** The ClientToken of an outbound call (Amazon Connect's idempotency key for StartOutboundVoiceContact). */
import { createHash } from 'node:crypto';

/** Connect accepts up to 500 characters; we keep it short enough to read in a log. */
export const CLIENT_TOKEN_MAX = 64;

/**
 * The ClientToken of one attempt: deterministic, so a re-sent start (after a crash or an SDK retry) is the
 * same request to Connect and rings once. The incident's opening time is in the hash so that a reused
 * incident id (a wiped local store numbering from INC-1 again) can never collide within the token's 7 days.
 * https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html
 */
export function clientTokenFor(input: { incidentId: string; openedAt: number; attempt: number }): string {
  const hash = createHash('sha256')
    .update(`${input.incidentId}\n${input.openedAt}\n${input.attempt}`)
    .digest('hex')
    .slice(0, 24);
  const id = input.incidentId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 24);
  return `hikeshi-${id}-a${input.attempt}-${hash}`.slice(0, CLIENT_TOKEN_MAX);
}
