/**
 * AWS Lambda entry points: async (event, context) handlers, one per function of serverless.yml. Each function
 * is bundled from its own entry (src/lambda/<fn>.ts, scripts/build-lambda.ts), so it carries only what its
 * handler reaches: `slack` runs on `buildApp` (Bolt's AwsLambdaReceiver), every other handler on `buildCore`,
 * without Bolt; the parts of the app a handler never runs are stand-ins in its bundle (scripts/build-lambda.ts
 * lists them per function).
 *
 * The app is built once per container (secrets read once, AWS clients created on first use) and reused by
 * every invocation that container serves. Work started during an invocation must end before it returns — a
 * returned Lambda is frozen, with its timers — so every handler awaits `settle()`: deferred jobs handed to the
 * worker (or run, in the worker), Slack posts and edits flushed, notices sent.
 */
import type { AwsLambdaReceiver } from '@slack/bolt';
import { buildApp, buildCore, type HikeshiApp, type HikeshiCore } from './app.js';
import { loadConfigWithSecrets } from './config/index.js';
import {
  handleApiGatewayEvent,
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
} from './ingress/adapters/api-gateway.js';
import { parseContactFlowEvent, type ContactFlowResult } from './domain/contact-flow.js';
import { AppError, ErrorCode, badRequest } from './errors.js';
import {
  handleAmazonMqEvent,
  type AmazonMqBatchResult,
  type AmazonMqEvent,
} from './ingress/adapters/amazon-mq.js';
import { parseDeferredJob } from './integrations/lambda-defer.js';
import { firingsOf } from './domain/alert.js';
import { parseCloudWatchLogsEvent, signalsFromLogsData } from './domain/sources/cloudwatch-logs.js';

type SlackLambdaHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
type SlackEvent = Parameters<SlackLambdaHandler>[0];
type LambdaContext = Parameters<SlackLambdaHandler>[1];

/** Builds once per container; a failed cold start must not poison the container, so the next call retries. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending === undefined) {
      pending = build();
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}

// `@__PURE__` lets the bundler drop whichever of the two a function's entry does not use: without it the
// `ingress` bundle would keep `slackApp`, hence `buildApp`, hence Bolt.
const core = /* @__PURE__ */ once<HikeshiCore>(async () =>
  buildCore(await loadConfigWithSecrets(), { runtime: 'lambda' }),
);
const slackApp = /* @__PURE__ */ once<{ app: HikeshiApp; handler: SlackLambdaHandler }>(async () => {
  const app = await buildApp(await loadConfigWithSecrets(), { runtime: 'lambda' });
  const receiver = app.slack.lambdaReceiver;
  if (!receiver) throw new Error('the Slack function needs the Lambda receiver');
  return { app, handler: receiver.toHandler() };
});

/**
 * API Gateway may hand the body over base64-encoded; AwsLambdaReceiver decodes that as ASCII, which breaks the
 * signature of any body with non-ASCII text (a mention in Japanese). Decoding it here as UTF-8 keeps the bytes
 * Slack signed.
 */
function withTextBody(event: SlackEvent): SlackEvent {
  const { body, isBase64Encoded } = event as { body?: unknown; isBase64Encoded?: unknown };
  if (isBase64Encoded !== true || typeof body !== 'string') return event;
  return { ...event, body: Buffer.from(body, 'base64').toString('utf8'), isBase64Encoded: false };
}

/**
 * Slack: API Gateway → AwsLambdaReceiver (signature verified by Bolt). The listeners ack, do their quick part
 * and defer the slow part to the worker; the answer goes back to Slack when they are done, well inside 3 s.
 */
export async function slack(event: SlackEvent, context: LambdaContext): Promise<unknown> {
  const { app, handler } = await slackApp();
  try {
    return await handler(withTextBody(event), context);
  } finally {
    await app.settle();
  }
}

/** Alerts, job reports, webhooks and the Connect callback: API Gateway HTTP API v2 → ingress router. */
export async function ingress(event: ApiGatewayV2Event, _context: unknown): Promise<ApiGatewayV2Result> {
  const a = await core();
  try {
    return await handleApiGatewayEvent(a.ingress, event);
  } finally {
    await a.settle();
  }
}

/**
 * Deferred slow work, invoked asynchronously by the other functions (integrations/lambda-defer.ts) with
 * `{ name, payload }`: runs `services.deferredHandlers[name]`. A job deferred while it runs runs here too (this
 * function has no WORKER_FUNCTION_NAME). A failure is thrown, so it is logged as a failed invocation.
 */
export async function worker(event: unknown, _context: unknown): Promise<{ job: string }> {
  const a = await core();
  const job = parseDeferredJob(event);
  const handler = a.services.deferredHandlers[job.name];
  if (handler === undefined) {
    throw new AppError(ErrorCode.NotFound, `no handler for deferred job ${job.name}`, {
      details: { job: job.name },
    });
  }
  try {
    await handler(job.payload);
  } finally {
    await a.settle();
  }
  return { job: job.name };
}

/**
 * Tasks (issue 5): Amazon MQ for RabbitMQ → task service, one batch per invocation. Throws when a task failed,
 * so the event source delivers the batch again (processing is idempotent by task id).
 */
export async function tasks(event: AmazonMqEvent, _context: unknown): Promise<AmazonMqBatchResult> {
  const a = await core();
  try {
    return await handleAmazonMqEvent(event, (task) => a.services.tasks.process(task), a.logger);
  } finally {
    await a.settle();
  }
}

/**
 * Timed work, invoked by an EventBridge schedule rule: every scheduler task once (missed job runs, phone
 * escalation steps). Each task works from the store, so a tick may run anywhere and any number of times.
 */
export async function tick(_event: unknown, _context: unknown): Promise<{ failed: string[] }> {
  const a = await core();
  try {
    return { failed: await a.scheduler.runOnce() };
  } finally {
    await a.settle();
  }
}

/**
 * Amazon Connect's "Invoke AWS Lambda function" block in the Hikeshi contact flow (describe / response).
 * Connect itself invokes it (allowed by the function's resource policy), so there is no token; the answer is
 * the flat string map the flow reads as `$.External.*`. A malformed event throws, which sends the flow down
 * its Error branch.
 */
export async function connectFlow(event: unknown, _context: unknown): Promise<ContactFlowResult> {
  const a = await core();
  const parsed = parseContactFlowEvent(event);
  if (!parsed.ok) throw badRequest(`${parsed.field}: ${parsed.reason}`, { field: parsed.field });
  try {
    return await a.services.escalation.handleContactFlow(parsed.request);
  } finally {
    await a.settle();
  }
}

export interface LogsResult {
  messageType: string;
  logGroup: string;
  events: number;
  errors: number;
  /** What became of each distinct error: `INC-7 opened ×1000`. */
  incidents: { id: string | null; action: string; count: number }[];
  /** Why nothing was done, when nothing was. */
  ignored?: string;
}

/**
 * Lambda error logs in (the seed's msg-to-slack function): a CloudWatch Logs subscription filter's target
 * (serverless.yml). `{"awslogs": {"data"}}` is decoded and every error line ingested as an alert, exactly as
 * `POST /api/alerts/cloudwatch-logs` does (src/domain/sources/cloudwatch-logs.ts). CloudWatch Logs invokes it
 * asynchronously, allowed by its resource policy, so there is no token. A malformed delivery throws before
 * anything is written (a failed invocation, in the function's Errors metric); a CONTROL_MESSAGE is answered
 * without building the app.
 */
export async function logs(event: unknown, context: unknown): Promise<LogsResult> {
  const parsed = parseCloudWatchLogsEvent(event);
  if (!parsed.ok) {
    const message = `${parsed.field}: ${parsed.reason}`;
    throw parsed.status === 413
      ? new AppError(ErrorCode.PayloadTooLarge, message, { details: { field: parsed.field } })
      : badRequest(message, { field: parsed.field });
  }
  const { data } = parsed;
  const summary = { messageType: data.messageType, logGroup: data.logGroup, events: data.logEvents.length };
  if (data.messageType === 'CONTROL_MESSAGE')
    return { ...summary, errors: 0, incidents: [], ignored: 'control message' };
  // Subscribed to its own log group, each failure here would be a log line that invokes it again.
  const own = (context as { logGroupName?: unknown } | undefined)?.logGroupName;
  if (data.logGroup === own) return { ...summary, errors: 0, incidents: [], ignored: 'its own log group' };
  const a = await core();
  try {
    const { errors, signals } = signalsFromLogsData(data, a.config.awsRegion);
    const incidents: LogsResult['incidents'] = [];
    for (const signal of signals) {
      const outcome = await a.services.incidents.ingest(signal);
      incidents.push({
        id: outcome.action === 'ignored' ? null : outcome.incident.id,
        action: outcome.action,
        count: firingsOf(signal),
      });
    }
    return { ...summary, errors, incidents };
  } finally {
    await a.settle();
  }
}
