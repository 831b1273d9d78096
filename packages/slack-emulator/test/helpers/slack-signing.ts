/**
 * Signs a request the way Slack does (https://docs.slack.dev/authentication/verifying-requests-from-slack),
 * written out here rather than taken from the emulator, so a test of the emulator's signing checks it against
 * Slack's recipe and not against itself.
 */
import { createHmac } from 'node:crypto';

export interface SignedPost {
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  signingSecret: string;
  /** Seconds since the epoch; pass an old one to test the staleness check. */
  timestamp?: number;
  /** Overrides the computed signature, to test a bad one. */
  signature?: string;
}

/** POSTs a signed body and returns the status and response text. */
export async function postSignedToSlackEndpoint(
  url: string,
  post: SignedPost,
): Promise<{ status: number; text: string }> {
  const timestamp = post.timestamp ?? Math.floor(Date.now() / 1000);
  const hmac = createHmac('sha256', post.signingSecret).update(`v0:${timestamp}:${post.body}`).digest('hex');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': post.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': post.signature ?? `v0=${hmac}`,
    },
    body: post.body,
  });
  return { status: response.status, text: await response.text() };
}
