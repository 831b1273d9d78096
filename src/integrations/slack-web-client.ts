/**
 * The Slack Web API client every service posts through (incident messages, threads, task messages). It is a
 * plain `@slack/web-api` WebClient, not Bolt's: the Lambda functions that only post (ingress, worker, tick,
 * tasks, connectFlow) never load Bolt, which is most of the `slack` bundle. Bolt's own `app.client` is built
 * from the same token and options (slack-bolt.ts), so both behave alike.
 *
 * The client always gets an explicit retry policy: the default retries for about 30 minutes, far past any
 * useful answer (and past any Lambda's timeout).
 */
import { WebClient, type FetchFunction } from '@slack/web-api';
import { LogLevel as SlackLogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../logger.js';

/** 5 retries with backoff (about 30 s in all), honouring Retry-After on 429. */
export const SLACK_RETRY_CONFIG = {
  retries: 5,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 10_000,
  randomize: true,
};

export type SlackRetryConfig = typeof SLACK_RETRY_CONFIG | { retries: number };

/** Slack's packages log through pino, so their lines get the same redaction and phone masking as ours. */
export function toSlackLogger(logger: Logger, component = 'bolt'): SlackLogger {
  const child = logger.child({ component });
  let level = SlackLogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug(join(msg)),
    info: (...msg: unknown[]) => child.info(join(msg)),
    warn: (...msg: unknown[]) => child.warn(join(msg)),
    error: (...msg: unknown[]) => child.error(join(msg)),
    setLevel: (l: SlackLogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** The options Bolt's `clientOptions` and our own WebClient share. */
export function slackClientOptions(options: {
  apiUrl?: string | undefined;
  retryConfig?: SlackRetryConfig;
  /** Every Web API HTTP attempt goes through it: the metrics wrapper (slack-metrics.ts). */
  fetch?: FetchFunction;
}) {
  return {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: options.retryConfig ?? SLACK_RETRY_CONFIG,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
}

export function createSlackWebClient(options: {
  botToken: string;
  apiUrl?: string | undefined;
  logger: Logger;
  retryConfig?: SlackRetryConfig;
  fetch?: FetchFunction;
}): WebClient {
  return new WebClient(options.botToken, {
    ...slackClientOptions(options),
    logger: toSlackLogger(options.logger, 'slack-web-api'),
  });
}
