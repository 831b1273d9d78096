/**
 * Failure on demand. `faults` makes the next matching Web API calls fail the way Slack fails (429 with
 * Retry-After, or a 5xx); `limits` enforces Slack-like rate limits, off unless a test turns them on, one method
 * at a time (`set`) or all of Slack's documented ones at once (`useSlackLimits`, SLACK_RATE_LIMITS).
 * Slack's rate limits: https://docs.slack.dev/apis/web-api/rate-limits (chat.postMessage is about one message
 * per second per channel, with short bursts allowed).
 */
import type { Clock } from './clock.js';

export interface FaultSpec {
  /** Only calls to this method (e.g. `chat.postMessage`); every method when absent. */
  method?: string;
  status: 429 | 500 | 503;
  /** Sent as `Retry-After` on a 429. Defaults to 1. */
  retryAfterSeconds?: number;
  /** How many calls fail before the fault is spent. Unlimited when absent (until removed or cleared). */
  times?: number;
  /** Chance that a matching call fails, 0..1. Defaults to 1. */
  probability?: number;
}

export interface InjectedFailure {
  status: 429 | 500 | 503;
  retryAfterSeconds?: number;
}

export class FaultInjector {
  private faults: (FaultSpec & { remaining: number })[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds a fault; returns a function that removes it. */
  add(spec: FaultSpec): () => void {
    const fault = { ...spec, remaining: spec.times ?? Number.POSITIVE_INFINITY };
    this.faults.push(fault);
    return () => {
      this.faults = this.faults.filter((f) => f !== fault);
    };
  }

  clear(): void {
    this.faults = [];
  }

  /** How many faults are still armed. */
  get pending(): number {
    return this.faults.length;
  }

  /** Decides whether this call fails; spends one use of the fault that fires. */
  take(method: string): InjectedFailure | undefined {
    for (const fault of this.faults) {
      if (fault.method !== undefined && fault.method !== method) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault.status === 429
        ? { status: 429, retryAfterSeconds: fault.retryAfterSeconds ?? 1 }
        : { status: fault.status };
    }
    return undefined;
  }
}

export interface RateLimit {
  /** Calls allowed per channel in any one-second window (chat.postMessage: 1). */
  perChannelPerSecond?: number;
  /** Calls allowed per minute across the workspace (Tier 3 methods such as chat.update: 50). */
  perMinute?: number;
}

/**
 * Slack's documented limits for the methods this emulator serves, applied "per API method per workspace per app"
 * (https://docs.slack.dev/apis/web-api/rate-limits): Tier 2 is "20+ per minute", Tier 3 "50+", Tier 4 "100+",
 * and chat.postMessage "generally allows posting one message per second per channel" (thread replies included).
 * Each is enforced at its documented floor, and chat.postMessage without the short bursts Slack tolerates: an
 * app that gets no 429 here gets none from Slack for these. Each method's tier is on its reference page
 * (https://docs.slack.dev/reference/methods/<method>). Not limited: auth.test and chat.getPermalink (special
 * tiers without a figure), and apps.connections.open (Tier 1, called once per Socket Mode connection).
 * conversations.history and conversations.replies are Tier 3 for internal (custom) apps, as enforced here;
 * commercially distributed apps outside the Marketplace get 1 a minute since 2025 (set that with `limits.set`).
 */
export const SLACK_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  'chat.postMessage': { perChannelPerSecond: 1 },
  'chat.update': { perMinute: 50 },
  'chat.delete': { perMinute: 50 },
  'chat.postEphemeral': { perMinute: 100 },
  'conversations.history': { perMinute: 50 },
  'conversations.replies': { perMinute: 50 },
  'conversations.info': { perMinute: 50 },
  'conversations.open': { perMinute: 50 },
  'conversations.list': { perMinute: 20 },
  'users.info': { perMinute: 100 },
  'views.open': { perMinute: 100 },
  'views.update': { perMinute: 100 },
  'views.push': { perMinute: 100 },
  'views.publish': { perMinute: 100 },
};

export class RateLimiter {
  private readonly limits = new Map<string, RateLimit>();
  private readonly history = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  set(method: string, limit: RateLimit): void {
    this.limits.set(method, limit);
  }

  /** Enforces every limit of SLACK_RATE_LIMITS (on top of any set before). */
  useSlackLimits(): void {
    for (const [method, limit] of Object.entries(SLACK_RATE_LIMITS)) this.set(method, limit);
  }

  delete(method: string): void {
    this.limits.delete(method);
  }

  clear(): void {
    this.limits.clear();
    this.history.clear();
  }

  /**
   * Records a call and returns the seconds to wait when it is over a limit. A rejected call does not count,
   * so a client that honours Retry-After gets through on its next attempt.
   */
  check(method: string, channel: string | undefined): number | undefined {
    const limit = this.limits.get(method);
    if (!limit) return undefined;
    const now = this.clock.now();
    const windows: [key: string, max: number | undefined, ms: number][] = [
      [`${method}:${channel ?? ''}`, channel === undefined ? undefined : limit.perChannelPerSecond, 1000],
      [`${method}:*`, limit.perMinute, 60_000],
    ];
    let waitMs = 0;
    for (const [key, max, ms] of windows) {
      if (max === undefined) continue;
      const recent = (this.history.get(key) ?? []).filter((t) => now - t < ms);
      this.history.set(key, recent);
      const oldest = recent[0];
      if (recent.length >= max && oldest !== undefined) waitMs = Math.max(waitMs, ms - (now - oldest));
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    for (const [key, max] of windows) if (max !== undefined) this.history.get(key)?.push(now);
    return undefined;
  }
}
