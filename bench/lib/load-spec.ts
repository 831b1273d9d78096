/** What the load generator process is asked to do, and what it answers (one JSON line each way). */

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'static'; text: string; contentType?: string }
  /** `/api/alerts` with a fresh dedupKey per request: every request opens an incident. */
  | { kind: 'alert-distinct'; prefix: string }
  /** `/api/alerts` with a fresh dedupKey per request, over a few sources and alertnames (B9: a storm). */
  | { kind: 'alert-storm'; prefix: string }
  /** `/api/alerts` cycling over `fingerprints` dedup keys (B3: 10,000 alerts over 10 fingerprints). */
  | { kind: 'alert-rotate'; prefix: string; fingerprints: number }
  /** `/api/monitor/job-report`: a successful run with a fresh finished_at per request, over `jobs` job keys. */
  | { kind: 'job-report'; prefix: string; jobs: number }
  /** `/webhook/github`: a signed `issues.labeled` delivery for a fresh issue and delivery id per request. */
  | { kind: 'github-issue'; secret: string; label: string; prefix: string };

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body: BodySpec;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Exactly this many requests, all answered before the run ends. */
  amount?: number;
  /** Requests per second over all connections. */
  overallRate?: number;
  /** Seconds before a request counts as timed out. */
  timeout?: number;
}

export interface LoadResult {
  /** Responses received. */
  requests: number;
  seconds: number;
  rps: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
}

/** B4: bursts of concurrent signed Slack interactions. */
export interface BurstSpec {
  url: string;
  signingSecret: string;
  /** Each is a block_actions payload, sent as the form field `payload`. */
  payloads: Record<string, unknown>[];
  bursts: number;
  concurrency: number;
  pauseMs: number;
}

export interface BurstResult {
  /** Milliseconds, one per request. */
  latencies: number[];
  non2xx: number;
  errors: number;
}
