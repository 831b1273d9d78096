/**
 * Slack Web API figures for `GET /metrics`, taken at the one place every call goes through: the WebClient's
 * `fetch` (web-api 8 accepts a custom one; Bolt hands `clientOptions.fetch` to every client it makes). Each HTTP
 * attempt is counted, so a call the client retries shows up once per attempt:
 * - `rate_limited` (429 + Retry-After), `server_error` (5xx) and `network_error` attempts are the ones the
 *   WebClient retries under its `retryConfig` (src/integrations/slack-bolt.ts);
 * - `error` is Slack's `200 {ok:false, error}`, never retried, counted again by its code.
 * https://docs.slack.dev/apis/web-api/rate-limits · https://docs.slack.dev/reference/methods
 */
import type { FetchFunction } from '@slack/web-api';
import type { Metrics } from '../services/ports/metrics.js';

const METHOD = /^[a-z]+(?:\.[a-zA-Z]+)+$/;
const ERROR_CODE = /^[a-z_]{1,60}$/;

/** `https://slack.com/api/chat.postMessage` → `chat.postMessage`; anything unexpected → `other`. */
export function slackMethodOf(url: string | URL): string {
  const path = typeof url === 'string' ? url.split('?')[0] : url.pathname;
  const last = path?.split('/').pop() ?? '';
  return METHOD.test(last) ? last : 'other';
}

/** The WHATWG fetch (its Response can be cloned, which the body check needs). */
export type WhatwgFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export function meteredSlackFetch(metrics: Metrics, inner: WhatwgFetch = globalThis.fetch): FetchFunction {
  const requests = metrics.counter(
    'hikeshi_slack_api_requests_total',
    'Slack Web API HTTP attempts by method and result: ok, error (ok:false), rate_limited (429), server_error (5xx), http_error, network_error. rate_limited, server_error and network_error attempts are retried by the client.',
  );
  const errors = metrics.counter(
    'hikeshi_slack_api_errors_total',
    'Slack Web API calls answered {ok:false}, by method and Slack error code.',
  );
  return async (url, init) => {
    const method = slackMethodOf(url);
    let response: Response;
    try {
      response = await inner(url, init);
    } catch (error) {
      requests.inc({ method, result: 'network_error' });
      throw error;
    }
    if (response.status === 429) requests.inc({ method, result: 'rate_limited' });
    else if (response.status >= 500) requests.inc({ method, result: 'server_error' });
    else if (response.status !== 200) requests.inc({ method, result: 'http_error' });
    else {
      // Read once and handed on as a new Response: a clone's tee can stall when only one branch is read.
      const text = await response.text();
      const code = slackErrorCode(text);
      requests.inc({ method, result: code === undefined ? 'ok' : 'error' });
      if (code !== undefined) errors.inc({ method, error: ERROR_CODE.test(code) ? code : 'other' });
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    return response;
  };
}

/** The `error` of a `{ok:false}` body. */
function slackErrorCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { ok?: unknown; error?: unknown };
    if (body.ok !== false) return undefined;
    return typeof body.error === 'string' ? body.error : 'unknown';
  } catch {
    return undefined; // not JSON: the client reports it; nothing to count here
  }
}
