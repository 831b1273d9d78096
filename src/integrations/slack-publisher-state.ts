/**
 * What the Slack incident publisher (slack-incident-publisher.ts) keeps per incident, how it reads it (idle,
 * backlog) and the figures it exports for `GET /metrics`.
 */
import type { PublisherBacklog } from '../services/ports/incident-publisher.js';
import type { Counter, Metrics } from '../services/ports/metrics.js';

export interface IncidentState {
  chain: Promise<void>;
  dirty: boolean;
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  lastEditAt: number;
  failures: number;
  /** Known to have its message (edits then skip the read that checks). */
  posted: boolean;
  /** This process posts the message (it opened the incident, or recovers it); see IncidentPublisher.sync. */
  poster: boolean;
  /** An earlier process left it unposted (see IncidentPublisher.sync). */
  recovering: boolean;
  /** Edits that found no message yet and waited for the poster. */
  waitsForPost: number;
  /** Posts, edits and replies queued on `chain` and not finished. */
  pending: number;
  /** Thread replies among them. */
  replies: number;
  /** Set while the state waits to be forgotten (see forgetWhenIdle). */
  forget: NodeJS.Timeout | undefined;
}

export function newIncidentState(): IncidentState {
  return {
    chain: Promise.resolve(),
    dirty: false,
    timer: undefined,
    running: false,
    lastEditAt: 0,
    failures: 0,
    posted: false,
    poster: false,
    recovering: false,
    waitsForPost: 0,
    pending: 0,
    replies: 0,
    forget: undefined,
  };
}

export const isIdle = (s: IncidentState): boolean =>
  s.pending === 0 && !s.dirty && !s.running && s.timer === undefined;

/** An edit (or the post it starts with) is waiting or under way. */
const editPending = (s: IncidentState): boolean =>
  s.dirty || s.running || s.timer !== undefined || s.pending > s.replies;

/**
 * What is still to do: a post while this process's own incident is not known to have its message, else an edit;
 * and every thread reply not sent.
 */
export function backlogOf(states: Iterable<IncidentState>): PublisherBacklog {
  const left: PublisherBacklog = { posts: 0, edits: 0, replies: 0 };
  for (const s of states) {
    left.replies += s.replies;
    if (!editPending(s)) continue;
    if (s.poster && !s.posted) left.posts += 1;
    else left.edits += 1;
  }
  return left;
}

/** Errors that no retry fixes: log them once and stop trying that incident. */
export const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'invalid_blocks',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'msg_too_long',
]);

export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function publisherMetrics(
  metrics: Metrics,
  states: ReadonlyMap<string, IncidentState>,
): { failures: Counter; retries: Counter } {
  const failures = metrics.counter(
    'hikeshi_slack_publisher_failures_total',
    'Incident posts, edits and replies that failed after the Web API client gave up, by kind (permanent: not retried).',
  );
  const retries = metrics.counter(
    'hikeshi_slack_publisher_retries_total',
    'Times the publisher scheduled an incident for another try after a failed Slack call.',
  );
  failures.inc({ permanent: 'false' }, 0);
  failures.inc({ permanent: 'true' }, 0);
  retries.inc(undefined, 0);
  metrics.collect(
    'hikeshi_slack_publisher_tracked_incidents',
    'Incidents the Slack publisher keeps state for: busy ones, and idle ones for one edit interval.',
    () => [{ value: states.size }],
  );
  metrics.collect(
    'hikeshi_slack_publisher_backlog',
    'Incidents with a Slack post, edit or reply waiting or under way.',
    () => [
      {
        value: [...states.values()].filter((s) => s.dirty || s.running || s.timer !== undefined).length,
      },
    ],
  );
  return { failures, retries };
}

/**
 * Arms the timer of a message's next edit, unless one is armed or running or the publisher is closing: after
 * `delayMs`, or once `minUpdateIntervalMs` has passed since its last edit (one edit per interval per message).
 */
export function armEdit(
  s: Pick<IncidentState, 'timer' | 'running' | 'lastEditAt'>,
  options: { closing: boolean; minUpdateIntervalMs: number; delayMs: number | undefined },
  edit: () => void,
): void {
  if (s.timer || s.running || options.closing) return;
  const wait = options.delayMs ?? Math.max(0, s.lastEditAt + options.minUpdateIntervalMs - Date.now());
  s.timer = setTimeout(() => {
    s.timer = undefined;
    edit();
  }, wait);
}

/** Runs an armed edit now instead of at its time (a drain); nothing when none is armed. */
export function editNow(s: Pick<IncidentState, 'timer'>, edit: () => void): void {
  if (s.timer === undefined) return;
  clearTimeout(s.timer);
  s.timer = undefined;
  edit();
}
