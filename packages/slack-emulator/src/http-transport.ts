/**
 * Delivery to an app's HTTP endpoint the way Slack delivers (https://docs.slack.dev/authentication/verifying-requests-from-slack):
 * slash commands as form fields, interactions as a form field `payload=<json>`, events as a JSON body; each
 * signed `v0=HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}")`.
 */
import { createHmac } from 'node:crypto';
import type { EnvelopeType } from './socket-mode.js';
import { parseJson } from './json.js';

export interface HttpTransportOptions {
  /** The app's request URL, e.g. `http://127.0.0.1:P/slack/events`. */
  url: string;
  /** Defaults to the emulator's signing secret. */
  signingSecret?: string;
  /** Sent as X-Slack-Retry-Num / X-Slack-Retry-Reason on events, as Slack does on redelivery. */
  retryNum?: number;
  retryReason?: string;
  /** Slack gives up after 3 s. */
  timeoutMs?: number;
}

export interface HttpDelivery {
  status: number;
  /** The response body: parsed JSON when it is JSON, else the text; undefined when empty. */
  body: unknown;
}

export function signature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function encode(type: EnvelopeType, payload: Record<string, unknown>): { body: string; contentType: string } {
  if (type === 'events_api') return { body: JSON.stringify(payload), contentType: 'application/json' };
  const form =
    type === 'slash_commands'
      ? new URLSearchParams(Object.entries(payload).map(([k, v]): [string, string] => [k, String(v)]))
      : new URLSearchParams({ payload: JSON.stringify(payload) });
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

export async function deliverOverHttp(
  target: HttpTransportOptions & { signingSecret: string },
  type: EnvelopeType,
  payload: Record<string, unknown>,
  retry: { retryNum?: number | undefined; retryReason?: string | undefined } = {},
): Promise<HttpDelivery> {
  const { body, contentType } = encode(type, payload);
  // Bolt checks the timestamp against its own wall clock, so this is real time, not the emulator's clock.
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature(target.signingSecret, timestamp, body),
  };
  const retryNum = retry.retryNum ?? target.retryNum;
  if (type === 'events_api' && retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(retryNum);
    headers['x-slack-retry-reason'] = retry.retryReason ?? target.retryReason ?? 'http_timeout';
  }
  const response = await fetch(target.url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(target.timeoutMs ?? 3000),
  });
  const text = await response.text();
  if (text === '') return { status: response.status, body: undefined };
  const parsed = parseJson(text);
  return { status: response.status, body: parsed.ok ? parsed.value : text };
}
