/**
 * In front of Bolt's HTTP receiver (`POST /slack/events`): the same order as every other route — the body read
 * with the 1 MB limit, the Slack signature checked in constant time, then parsed and its envelope checked —
 * before Bolt sees it. Found by the HTTP fuzz tests (issue 11): a correctly signed body that is JSON but not an
 * object (`null`) makes Bolt 5.1 throw inside its request handler (an unhandled rejection: the request hangs
 * and Node exits), and an `event_callback` whose `event` is not an object, or whose fields have the wrong
 * type, fails inside Bolt with a 500. Slack never sends either, so both are a 400 here.
 *
 * Bolt then verifies the signature again on the same bytes (it accepts a request whose `rawBody` is already
 * buffered) and processes it as usual. https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode as BoltErrorCode, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isPlainObject } from '../../domain/sources/parse-result.js';
import { sendResponse } from './node-http.js';
import { answerOversizedBody, type DiscardBounds } from './oversized-body.js';
import { MAX_BODY_BYTES } from '../router.js';
import { isAppError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** Slack refuses requests older than five minutes, and so does Bolt. */
export const SLACK_MAX_AGE_SECONDS = 5 * 60;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`, compared in constant time over equal-length digests. */
export function isValidSlackSignature(args: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
  nowSeconds: number;
}): boolean {
  const { timestamp, signature } = args;
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(args.nowSeconds - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) return false;
  const expected = createHmac('sha256', args.signingSecret)
    .update(`v0:${timestamp}:`)
    .update(args.body)
    .digest();
  const presented = /^v0=([0-9a-f]{64})$/.exec(signature)?.[1];
  return presented !== undefined && timingSafeEqual(Buffer.from(presented, 'hex'), expected);
}

/** What Bolt would parse, the way it parses it (form bodies, `payload=<json>`, or JSON). */
function parseLikeBolt(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQuery(text);
    return typeof form['payload'] === 'string' ? (JSON.parse(form['payload']) as unknown) : { ...form };
  }
  return JSON.parse(text) as unknown;
}

const EVENT_TEXT_FIELDS = ['type', 'channel', 'tab', 'text', 'ts', 'thread_ts', 'event_ts'] as const;

/**
 * Interaction payloads, each naming the user who acted (https://docs.slack.dev/reference/interaction-payloads);
 * the last four are the legacy attachment and dialog ones, which Bolt still routes.
 */
const INTERACTION_TYPES = new Set([
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
  'dialog_suggestion',
  'dialog_cancellation',
]);

/** Why Bolt could not process this envelope, or undefined when it can. */
export function slackEnvelopeProblem(body: unknown): string | undefined {
  if (!isPlainObject(body)) return 'the body must be a JSON object';
  const type = body['type'];
  if (type !== undefined && typeof type !== 'string') return 'type must be a string';
  // Interactive payloads and slash commands: who did it.
  const user = body['user'];
  if (user !== undefined && !(isPlainObject(user) && typeof user['id'] === 'string')) {
    return 'user must be an object with an id';
  }
  if (typeof type === 'string' && INTERACTION_TYPES.has(type)) {
    // Bolt reads `user.id` before any listener runs.
    if (user === undefined) return `a ${type} payload must name its user`;
    // Bolt routes on these; without one no listener matches, and Bolt never acks (a 3 s wait, then a 404).
    const view = body['view'];
    if (type.startsWith('view_') && !(isPlainObject(view) && typeof view['callback_id'] === 'string')) {
      return 'view must be an object with a callback_id';
    }
    const actions = body['actions'];
    const named = (a: unknown) => isPlainObject(a) && typeof a['action_id'] === 'string';
    if (type === 'block_actions' && !(Array.isArray(actions) && actions.length > 0 && actions.every(named))) {
      return 'actions must be a non-empty list of actions with an action_id';
    }
    return undefined;
  }
  // Bolt routes a payload that is none of these nowhere and never acks it: a 3 s wait, a 404 and an error log.
  // (app_rate_limited, which Slack sends when it drops events, is such a one; a 400 answers it as well.)
  if (type !== 'event_callback') {
    if (type === 'url_verification' || typeof body['command'] === 'string') return undefined;
    return type === undefined ? 'not a Slack command, interaction or event' : `unknown payload type ${type}`;
  }
  const event = body['event'];
  if (!isPlainObject(event)) return 'event must be an object';
  for (const field of EVENT_TEXT_FIELDS) {
    const value = event[field];
    if ((field === 'type' || value !== undefined) && typeof value !== 'string')
      return `event.${field} must be a string`;
  }
  const eventUser = event['user'];
  if (eventUser !== undefined && typeof eventUser !== 'string' && !isPlainObject(eventUser)) {
    return 'event.user must be a string';
  }
  return undefined;
}

function refuse(res: ServerResponse, status: 400 | 401, error: string): void {
  sendResponse(res, { status, body: { error, code: status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST' } });
}

export function guardSlackRequests(
  listener: Listener,
  deps: { signingSecret: string; logger: Logger; nowSeconds?: () => number; discard?: DiscardBounds },
): Listener {
  const log = deps.logger.child({ component: 'slack-http' });
  const now = deps.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return (req, res) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      answerOversizedBody(req, res, deps.discard);
      return;
    }
    // Buffered up to the limit and no further: past it the rest is drained, not kept (a chunked body has no
    // length to refuse up front).
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      answerOversizedBody(req, res, deps.discard);
    };
    const onEnd = () => {
      const body = Buffer.concat(chunks);
      const header = (name: string) => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const contentType = header('content-type');
      // `ssl_check=1` is Slack's unsigned connectivity check; Bolt answers it (and strips anything else).
      const sslCheck =
        contentType === 'application/x-www-form-urlencoded' &&
        parseQuery(body.toString('utf8'))['ssl_check'] === '1';
      if (!sslCheck) {
        const signed = isValidSlackSignature({
          signingSecret: deps.signingSecret,
          timestamp: header('x-slack-request-timestamp'),
          signature: header('x-slack-signature'),
          body,
          nowSeconds: now(),
        });
        if (!signed) {
          refuse(res, 401, 'invalid or missing Slack signature');
          return;
        }
        let problem: string | undefined;
        try {
          problem = slackEnvelopeProblem(parseLikeBolt(body, contentType));
        } catch (error) {
          problem = `the body is not valid: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (problem !== undefined) {
          log.warn({ problem }, 'refused a signed Slack request Bolt could not process');
          refuse(res, 400, problem);
          return;
        }
      }
      // Bolt reads a request whose body is already buffered from `rawBody`.
      Object.assign(req, { rawBody: body });
      listener(req, res);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', () => res.destroy());
  };
}

/**
 * Bolt's answer when processing failed before the ack. Hikeshi's listeners ack first, so what fails here is
 * Bolt's own handling of a signed payload it cannot read (its default answers 500, found by the fuzz tests):
 * that is a 400. A failure of ours that a retry may fix (the store unavailable in the retry guard) stays a 5xx,
 * so Slack redelivers the event. After the ack there is nothing left to answer.
 */
export async function answerSlackProcessingError(
  args: ReceiverProcessEventErrorHandlerArgs,
): Promise<boolean> {
  const { error, logger, response } = args;
  if (response.headersSent) {
    logger.error(`A Slack listener failed after its ack: ${error.message}`);
    return false;
  }
  if ('code' in error && error.code === BoltErrorCode.AuthorizationError) {
    refuse(response, 401, 'authorization failed');
    return true;
  }
  if (isAppError(error) && error.status >= 500) {
    logger.error(`Slack event not processed, Slack will retry it: ${error.message}`);
    sendResponse(response, { status: error.status, body: { error: 'try again later', code: error.code } });
    return false;
  }
  logger.warn(`Refused a Slack payload Bolt could not process: ${error.message}`);
  refuse(response, 400, 'the payload could not be processed');
  return true;
}

/**
 * What Bolt's HTTP receiver needs from the ingress (integrations/slack-bolt.ts takes it from app.ts, so the
 * Slack adapter does not import the ingress): the body limit every route shares, the guard in front of the
 * receiver, and the answer to a listener's failure.
 */
export const slackHttpFrontDoor = {
  bodyLimit: MAX_BODY_BYTES,
  guard: guardSlackRequests,
  processEventErrorHandler: answerSlackProcessingError,
};

export type SlackHttpFrontDoor = typeof slackHttpFrontDoor;
