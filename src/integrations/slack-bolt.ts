/**
 * Builds the Bolt App for each runtime. Socket Mode locally (the emulator or a real workspace), Bolt's
 * HTTP receiver behind our own server, or AwsLambdaReceiver on Lambda. Only `buildApp` (src/app.ts) calls
 * it: the services post through their own WebClient (slack-web-client.ts), so nothing else needs Bolt.
 */
import { App, AwsLambdaReceiver, HTTPReceiver } from '@slack/bolt';
import type { FetchFunction } from '@slack/web-api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { slackClientOptions, toSlackLogger, type SlackRetryConfig } from './slack-web-client.js';

export { SLACK_RETRY_CONFIG, toSlackLogger } from './slack-web-client.js';

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

/**
 * The ingress's front door for Bolt's HTTP receiver (ingress/adapters/slack-http-guard.ts): the shared body
 * limit, a guard that reads, verifies and shape-checks each request before Bolt sees it, and the answer to a
 * listener's failure. Passed in by app.ts.
 */
export interface SlackHttpGuard {
  bodyLimit: number;
  guard(
    listener: (req: IncomingMessage, res: ServerResponse) => void,
    options: { signingSecret: string; logger: Logger },
  ): (req: IncomingMessage, res: ServerResponse) => void;
  processEventErrorHandler: NonNullable<
    ConstructorParameters<typeof HTTPReceiver>[0]['processEventErrorHandler']
  >;
}

export function createBoltApp(options: {
  runtime: SlackRuntime;
  /** Required for the `http` runtime. */
  httpGuard?: SlackHttpGuard;
  apiUrl?: string | undefined;
  logger: Logger;
  retryConfig?: SlackRetryConfig;
  fetch?: FetchFunction;
}): BoltBundle {
  const logger = toSlackLogger(options.logger);
  const clientOptions = slackClientOptions(options);
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
      const front = options.httpGuard;
      if (!front) throw new Error('createBoltApp: the http runtime needs the ingress guard (httpGuard)');
      const receiver = new HTTPReceiver({
        signingSecret: runtime.signingSecret,
        endpoints: '/slack/events',
        logger,
        // Ack first, work after: the listener's ack() answers Slack while slow work continues.
        processBeforeResponse: false,
        // The same 1 MB limit as every other route (Bolt's default is 4 MB); Slack's payloads are far smaller.
        bodyLimit: front.bodyLimit,
        processEventErrorHandler: front.processEventErrorHandler,
      });
      const app = new App({ token: runtime.botToken, receiver, clientOptions, logger });
      // Read, verified and shape-checked before Bolt sees it (ingress/adapters/slack-http-guard.ts).
      const httpListener = front.guard(receiver.requestListener, {
        signingSecret: runtime.signingSecret,
        logger: options.logger,
      });
      return { app, httpListener };
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
