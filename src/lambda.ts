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
import { parseContactFlowEvent, type ContactFlowResult } from './domain/contact-flow.js';
import { badRequest } from './errors.js';
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

/**
 * Timed work, invoked by an EventBridge schedule rule: every scheduler task once (missed job runs, phone
 * escalation steps). Each task works from the store, so a tick may run anywhere and any number of times.
 * Slack posts are flushed before returning: a Lambda is frozen as soon as it answers.
 */
export async function tick(_event: unknown, _context: unknown): Promise<{ failed: string[] }> {
  const a = await app();
  const failed = await a.scheduler.runOnce();
  await a.services.escalation.drain();
  await a.services.publisher.flush();
  return { failed };
}

/**
 * Amazon Connect's "Invoke AWS Lambda function" block in the Hikeshi contact flow (describe / response).
 * Connect itself invokes it (allowed by the instance's Lambda association), so there is no token; the
 * answer is the flat string map the flow reads as `$.External.*`. A malformed event throws, which sends the
 * flow down its Error branch.
 */
export async function connectFlow(event: unknown, _context: unknown): Promise<ContactFlowResult> {
  const a = await app();
  const parsed = parseContactFlowEvent(event);
  if (!parsed.ok) throw badRequest(`${parsed.field}: ${parsed.reason}`, { field: parsed.field });
  const result = await a.services.escalation.handleContactFlow(parsed.request);
  await a.services.escalation.drain();
  await a.services.publisher.flush();
  return result;
}
