/**
 * AWS Lambda entry points: async (event, context) handlers. The app is built once per container (secrets
 * read once, clients created on first use) and reused by every invocation that container serves.
 */
import type { AwsLambdaReceiver } from '@slack/bolt';
import { buildApp, type HikeshiApp } from './app.js';
import { loadConfigWithSecrets } from './config.js';
import {
  handleApiGatewayEvent,
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
} from './ingress/adapters/api-gateway.js';
import {
  handleAmazonMqEvent,
  type AmazonMqBatchResult,
  type AmazonMqEvent,
} from './ingress/adapters/amazon-mq.js';

type SlackLambdaHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
type SlackEvent = Parameters<SlackLambdaHandler>[0];
type LambdaContext = Parameters<SlackLambdaHandler>[1];

let appPromise: Promise<HikeshiApp> | undefined;
let slackHandler: Promise<SlackLambdaHandler> | undefined;

function app(): Promise<HikeshiApp> {
  appPromise ??= loadConfigWithSecrets().then((config) => buildApp(config, { runtime: 'lambda' }));
  // A failed cold start must not poison the container: the next invocation tries again.
  appPromise.catch(() => {
    appPromise = undefined;
  });
  return appPromise;
}

/** Slack: API Gateway → AwsLambdaReceiver (signature verified by Bolt). */
export async function slack(event: SlackEvent, context: LambdaContext): Promise<unknown> {
  slackHandler ??= app().then((a) => {
    const receiver = a.slack.lambdaReceiver;
    if (!receiver) throw new Error('the Slack function needs the Lambda receiver');
    return receiver.toHandler();
  });
  const handler = await slackHandler;
  return handler(event, context);
}

/** Alerts, job reports, webhooks and the Connect callback: API Gateway HTTP API v2 → ingress router. */
export async function ingress(event: ApiGatewayV2Event, _context: unknown): Promise<ApiGatewayV2Result> {
  const a = await app();
  return handleApiGatewayEvent(a.ingress, event);
}

/**
 * Tasks (issue 5): Amazon MQ for RabbitMQ → task service, one batch per invocation. Throws when a task failed,
 * so the event source delivers the batch again (processing is idempotent by task id).
 */
export async function tasks(event: AmazonMqEvent, _context: unknown): Promise<AmazonMqBatchResult> {
  const a = await app();
  return handleAmazonMqEvent(event, (task) => a.services.tasks.process(task), a.logger);
}
