/**
 * Builds the Bolt App for each runtime. Socket Mode locally (the emulator or a real workspace), Bolt's
 * HTTP receiver behind our own server, or AwsLambdaReceiver on Lambda. The Web API client always gets an
 * explicit retry policy: the default retries for about 30 minutes, far past any useful answer.
 */
import { App, AwsLambdaReceiver, HTTPReceiver } from '@slack/bolt';
import { LogLevel as SlackLogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

/** 5 retries with backoff (about 30 s in all), honouring Retry-After on 429. */
export const SLACK_RETRY_CONFIG = {
  retries: 5,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 10_000,
  randomize: true,
};

export type SlackRuntime =
  | { kind: 'socket'; botToken: string; appToken: string }
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'lambda'; botToken: string; signingSecret: string };

export interface BoltBundle {
  app: App;
  /** Mounted at POST /slack/events by our own server in HTTP mode. */
  httpListener?: (req: IncomingMessage, res: ServerResponse) => void;
  lambdaReceiver?: AwsLambdaReceiver;
}

/** Bolt logs through pino, so its lines get the same redaction and phone masking as ours. */
export function toSlackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'bolt' });
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

export function createBoltApp(options: {
  runtime: SlackRuntime;
  apiUrl?: string | undefined;
  logger: Logger;
  retryConfig?: typeof SLACK_RETRY_CONFIG | { retries: number };
}): BoltBundle {
  const logger = toSlackLogger(options.logger);
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: options.retryConfig ?? SLACK_RETRY_CONFIG,
  };
  const { runtime } = options;
  switch (runtime.kind) {
    case 'socket':
      return {
        app: new App({
          token: runtime.botToken,
          appToken: runtime.appToken,
          socketMode: true,
          clientOptions,
          logger,
        }),
      };
    case 'http': {
      const receiver = new HTTPReceiver({
        signingSecret: runtime.signingSecret,
        endpoints: '/slack/events',
        logger,
        // Ack first, work after: the listener's ack() answers Slack while slow work continues.
        processBeforeResponse: false,
      });
      const app = new App({ token: runtime.botToken, receiver, clientOptions, logger });
      return { app, httpListener: receiver.requestListener };
    }
    case 'lambda': {
      const receiver = new AwsLambdaReceiver({ signingSecret: runtime.signingSecret, logger });
      const app = new App({
        token: runtime.botToken,
        receiver,
        clientOptions,
        logger,
        processBeforeResponse: true,
      });
      return { app, lambdaReceiver: receiver };
    }
  }
}
