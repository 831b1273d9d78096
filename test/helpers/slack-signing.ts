/**
 * Signs requests the way Slack does (https://docs.slack.dev/authentication/verifying-requests-from-slack),
 * for tests of HTTP endpoints, including ones that deliberately send bad signatures or stale timestamps.
 */
import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/** `v0=` + HMAC-SHA256 of `v0:{timestamp}:{raw body}`; the timestamp defaults to now, in seconds. */
export function signSlackRequest(args: {
  signingSecret: string;
  body: string;
  timestamp?: number;
}): SlackSignatureHeaders {
  const timestamp = args.timestamp ?? Math.floor(Date.now() / 1000);
  const hmac = createHmac('sha256', args.signingSecret).update(`v0:${timestamp}:${args.body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmac}` };
}

export interface SignedPost {
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  signingSecret: string;
  /** Seconds since the epoch; pass an old one to test the staleness check. */
  timestamp?: number;
  /** Overrides the computed signature, to test a bad one. */
  signature?: string;
  headers?: Record<string, string>;
}

/** POSTs a signed body and returns the status and response text. */
export async function postSignedToSlackEndpoint(
  url: string,
  post: SignedPost,
): Promise<{ status: number; text: string; headers: Headers }> {
  const signed = signSlackRequest({
    signingSecret: post.signingSecret,
    body: post.body,
    ...(post.timestamp === undefined ? {} : { timestamp: post.timestamp }),
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': post.contentType,
      ...signed,
      ...(post.signature === undefined ? {} : { 'x-slack-signature': post.signature }),
      ...post.headers,
    },
    body: post.body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
