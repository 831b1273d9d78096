/**
 * Notifier over Chatwork: `POST {apiUrl}/rooms/{roomId}/messages`, header `X-ChatWorkToken`, form field `body`.
 * https://developer.chatwork.com/reference/post-rooms-room_id-messages
 *
 * Limits (https://developer.chatwork.com/docs/endpoints#rate-limit): 300 requests per 5 minutes per token and
 * 10 posts per 10 seconds per room, both answered with 429. Notices are queued and sent one at a time through
 * a sliding-window limiter for both windows, so a burst waits instead of being dropped (the queue is bounded:
 * past `maxQueue` pending notices a new one is dropped and logged). A 429 is retried after `Retry-After`
 * (seconds or an HTTP date) or Chatwork's `x-ratelimit-reset` (epoch seconds); 5xx and network errors after a
 * short backoff; at most `maxRetries` times, each wait at most `maxRetryWaitMs`.
 *
 * Best effort by contract: `error()`/`warning()` never reject. A failure is logged with status and reason only;
 * the token is never put in a log field (and the logger's scrubber would mask it anyway), and the body is
 * scrubbed of the token and of phone numbers before it leaves.
 */
import { formatErrorNotice, formatWarningNotice } from '../domain/chatwork-format.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { createScrubber, type Logger } from '../logger.js';
import type { ErrorNotice, Notifier, WarningNotice } from '../services/ports/notifier.js';

export const DEFAULT_CHATWORK_API_URL = 'https://api.chatwork.com/v2';

export interface ChatworkNotifierOptions {
  /** Default https://api.chatwork.com/v2. */
  apiUrl?: string;
  apiToken: string;
  roomId: string;
  /** Used when a notice's `system` is empty. */
  system: string;
  logger: Logger;
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  /** Waits `ms`; tests pass a fake that moves their clock. */
  sleep?: (ms: number) => Promise<void>;
  /** IANA zone for `発生時刻`. Default Asia/Tokyo. */
  timeZone?: string;
  /** Default 3. */
  maxRetries?: number;
  /** Longest single wait for a retry, in ms; a 429 asking for longer is given up. Default 120 s. */
  maxRetryWaitMs?: number;
  /** Default 500. */
  maxQueue?: number;
  /** Per-request timeout, ms. Default 10 s. */
  timeoutMs?: number;
}

export interface ChatworkNotifier extends Notifier {
  /** Resolves when every queued notice has been sent or given up. */
  flush(): Promise<void>;
}

interface Window {
  limit: number;
  ms: number;
  sent: number[];
}

const POSTS_PER_ROOM = { limit: 10, ms: 10_000 };
const REQUESTS_PER_TOKEN = { limit: 300, ms: 300_000 };

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How long a 429 asks us to wait, from `Retry-After` or `x-ratelimit-reset`; undefined if it does not say. */
export function retryDelayFrom(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

export function createChatworkNotifier(options: ChatworkNotifierOptions): ChatworkNotifier {
  const apiUrl = (options.apiUrl ?? DEFAULT_CHATWORK_API_URL).replace(/\/+$/, '');
  const url = `${apiUrl}/rooms/${encodeURIComponent(options.roomId)}/messages`;
  const clock = options.clock ?? systemClock;
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 120_000;
  const maxQueue = options.maxQueue ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const scrub = createScrubber([options.apiToken]);
  const log = options.logger.child({ integration: 'chatwork', roomId: options.roomId });
  const windows: Window[] = [
    { ...POSTS_PER_ROOM, sent: [] },
    { ...REQUESTS_PER_TOKEN, sent: [] },
  ];

  // Waits until one more request fits in every window, then records it.
  async function takeSlot(): Promise<void> {
    for (;;) {
      const now = clock.now();
      let wait = 0;
      for (const w of windows) {
        while (w.sent.length > 0 && (w.sent[0] ?? 0) <= now - w.ms) w.sent.shift();
        if (w.sent.length >= w.limit) wait = Math.max(wait, (w.sent[0] ?? now) + w.ms - now);
      }
      if (wait <= 0) {
        for (const w of windows) w.sent.push(now);
        return;
      }
      await sleep(wait);
    }
  }

  type Outcome = { ok: true } | { ok: false; retryIn?: number; reason: string; status?: number };

  async function postOnce(body: string): Promise<Outcome> {
    await takeSlot();
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: {
          'X-ChatWorkToken': options.apiToken,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ body }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause =
        error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
      const reason =
        error instanceof Error
          ? `${error.name}: ${error.message}${typeof cause === 'string' ? ` (${cause})` : ''}`
          : 'network error';
      return { ok: false, retryIn: 1000, reason: scrub(reason) };
    }
    // Drain the body so the connection is released; its content is only used for the log.
    const text = await response.text().catch(() => '');
    if (response.ok) return { ok: true };
    const status = response.status;
    const reason = scrub(text.slice(0, 200)) || response.statusText;
    if (status === 429)
      return { ok: false, status, reason, retryIn: retryDelayFrom(response.headers, clock.now()) ?? 10_000 };
    if (status >= 500) return { ok: false, status, reason, retryIn: 2000 };
    return { ok: false, status, reason };
  }

  async function deliver(kind: 'error' | 'warning', rawBody: string): Promise<void> {
    const body = scrub(rawBody);
    for (let attempt = 0; ; attempt++) {
      const outcome = await postOnce(body);
      if (outcome.ok) {
        log.debug({ kind, attempt }, 'chatwork notice sent');
        return;
      }
      const { retryIn, status, reason } = outcome;
      const facts = { kind, attempt, ...(status === undefined ? {} : { status }), reason };
      if (retryIn === undefined || attempt >= maxRetries || retryIn > maxRetryWaitMs) {
        log.warn(facts, 'chatwork notice failed');
        return;
      }
      log.info({ ...facts, retryInMs: retryIn }, 'chatwork notice deferred');
      await sleep(retryIn);
    }
  }

  // One at a time, in order; `pending` counts notices queued or in flight, for the queue bound.
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;

  function enqueue(kind: 'error' | 'warning', format: () => string): Promise<void> {
    if (pending >= maxQueue) {
      log.warn({ kind, queued: pending }, 'chatwork queue full; notice dropped');
      return Promise.resolve();
    }
    pending++;
    const run = tail.then(async () => {
      try {
        await deliver(kind, format());
      } catch (error) {
        const reason = scrub(error instanceof Error ? error.message : String(error));
        log.warn({ kind, reason }, 'chatwork notice failed');
      } finally {
        pending--;
      }
    });
    tail = run;
    return run;
  }

  function systemOf(notice: WarningNotice): string {
    return notice.system === '' ? options.system : notice.system;
  }

  const formatOptions = options.timeZone === undefined ? {} : { timeZone: options.timeZone };

  return {
    error: (notice: ErrorNotice) =>
      enqueue('error', () => formatErrorNotice({ ...notice, system: systemOf(notice) }, formatOptions)),
    warning: (notice: WarningNotice) =>
      enqueue('warning', () => formatWarningNotice({ ...notice, system: systemOf(notice) }, formatOptions)),
    flush: () => tail,
  };
}

/** The Notifier used when Chatwork is not configured: accepts everything, sends nothing. */
export function createNullNotifier(): Notifier {
  return {
    error: async () => undefined,
    warning: async () => undefined,
  };
}
