/**
 * Staying under Slack's rate limits instead of bouncing off them (https://docs.slack.dev/apis/web-api/rate-limits):
 * - chat.postMessage allows about one message per second per channel: `createPostGate` sends a channel's posts
 *   one at a time, each at least `intervalMs` after the previous one *finished*, so the gap Slack sees between
 *   two arrivals is never shorter than the interval, whatever the network or the event loop did meanwhile;
 * - chat.update is Tier 3, about 50 a minute per workspace: `createRateBudget` is a token bucket whose burst plus a
 *   minute of refill stays one below the limit, so no window of 60 s ever holds more calls than Slack allows.
 * Both wait rather than fail: the publisher coalesces edits while it waits, so waiting costs nothing but latency.
 * Both take an AbortSignal: once it fires (a shutdown's grace period is over), every wait ends at once with the
 * signal's reason and nothing more is sent, so a long backlog cannot hold a stopping process.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `ms`; an abort ends the wait at once, with the signal's own reason. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, { signal }).catch((error: unknown) => {
    signal?.throwIfAborted();
    throw error;
  });
}

export interface PostGate {
  /** Runs `send` when the channel's turn comes. */
  send<T>(channel: string, send: () => Promise<T>): Promise<T>;
}

export function createPostGate(intervalMs: number, signal?: AbortSignal): PostGate {
  const channels = new Map<string, { tail: Promise<unknown>; lastDone: number }>();
  return {
    send(channel, send) {
      const lane = channels.get(channel) ?? { tail: Promise.resolve(), lastDone: 0 };
      channels.set(channel, lane);
      const turn = lane.tail.then(async () => {
        signal?.throwIfAborted();
        const wait = lane.lastDone + intervalMs - Date.now();
        if (wait > 0) await pause(wait, signal);
        try {
          return await send();
        } finally {
          lane.lastDone = Date.now();
        }
      });
      lane.tail = turn.catch(() => undefined);
      return turn;
    },
  };
}

export interface RateBudget {
  /** Resolves when a call may be made (in call order). */
  take(): Promise<void>;
}

export function createRateBudget(options: {
  perMinute: number;
  burst: number;
  signal?: AbortSignal;
}): RateBudget {
  const { signal } = options;
  const burst = Math.max(1, Math.min(options.burst, options.perMinute - 2));
  // burst + 60 s of refill = perMinute - 1: one call of margin for clock and network jitter.
  const perMs = Math.max(1, options.perMinute - 1 - burst) / 60_000;
  let tokens = burst;
  let last = Date.now();
  let tail: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = Date.now();
    tokens = Math.min(burst, tokens + (now - last) * perMs);
    last = now;
  };
  return {
    take() {
      const turn = tail.then(async () => {
        signal?.throwIfAborted();
        refill();
        if (tokens < 1) {
          await pause(Math.ceil((1 - tokens) / perMs), signal);
          refill();
        }
        tokens -= 1;
      });
      tail = turn.catch(() => undefined);
      return turn;
    },
  };
}
