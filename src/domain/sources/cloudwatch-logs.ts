/**
 * CloudWatch Logs subscription deliveries: what the seed's msg-to-slack function did, forwarding a Lambda's
 * error lines to Slack (../shared/seeds/slack-bedrock-confluence-chatops.md), as alerts.
 *
 * Wire format (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#LambdaFunctionExample):
 * a subscription filter invokes its Lambda with `{"awslogs": {"data": "<base64 of gzip of JSON>"}}`, the JSON
 * being `{messageType, owner, logGroup, logStream, subscriptionFilters, logEvents: [{id, timestamp, message}]}`.
 * `CONTROL_MESSAGE` is CloudWatch checking it can reach the destination (empty group and stream): accepted
 * and ignored. One delivery carries one log stream's events.
 *
 * Each event that reports an error (src/domain/log-errors.ts) becomes a signal: the log group as source, the
 * error's first line as title, the error with its stack trace as message, a console link to the log stream.
 * The fingerprint is the default one (src/domain/alert.ts: source + normalised title), so the same bug in
 * two requests (other request ids, numbers, hex, timestamps) is one incident and two bugs are two. Repeats
 * within one delivery are folded here into one signal with their `count`, so a storm of a thousand identical
 * lines costs one write, not a thousand.
 *
 * Bounds: the decompressed JSON may be at most DECOMPRESSED_MAX_BYTES (zlib stops there: a gzip bomb is a
 * 413, not an out-of-memory); bad base64, gzip or JSON is a 400 naming `awslogs.data`.
 */
import { gunzipSync } from 'node:zlib';
import * as z from '../zod.js';
import { fingerprintOf, toIsoTimestamp, type AlertLink, type AlertSignal } from '../alert.js';
import { logStreamConsoleUrl, isRegion } from '../aws-console.js';
import { classifyAwsError } from '../classify.js';
import { findLogError, type LogError } from '../log-errors.js';
import { TITLE_MAX } from './generic.js';
import { firstIssue, type ParseFailure } from './parse-result.js';

/**
 * The largest decompressed delivery accepted. CloudWatch batches at most 1 MB of log events per PutLogEvents
 * call, and the JSON around them (ids, timestamps, escaping) adds well under as much again; 8 MiB leaves room
 * and keeps a 1 MiB body that inflates a thousandfold from costing more than a few MiB of memory.
 */
export const DECOMPRESSED_MAX_BYTES = 8 * 1024 * 1024;
/** CloudWatch Logs' own limits on group and stream names. */
const NAME_MAX = 512;
const DATA_FIELD = 'awslogs.data';

export type LogsFailure = ParseFailure & { status: 400 | 413 };

/**
 * The schemas, built on first use: every Lambda bundle imports src/lambda.ts, and schemas built at module level
 * would ship in all of them.
 */
function buildSchemas() {
  const name = () => z.string().check(z.maxLength(NAME_MAX, `must be at most ${NAME_MAX} characters`));
  const data = z.object({
    messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
    owner: z.string(),
    logGroup: name(),
    logStream: name(),
    subscriptionFilters: z.array(z.string()),
    logEvents: z.array(
      z.object({
        // A 56-digit string for data; empty in a control message.
        id: z.string(),
        timestamp: z.number().check(z.nonnegative()),
        message: z.string(),
      }),
    ),
  });
  return { data, event: z.object({ awslogs: z.object({ data: z.string() }) }) };
}
let built: ReturnType<typeof buildSchemas> | undefined;
const schemas = () => (built ??= buildSchemas());

export type LogsData = z.infer<ReturnType<typeof buildSchemas>['data']>;
export type LogsDataResult = { ok: true; data: LogsData } | LogsFailure;

const fail = (field: string, reason: string, status: 400 | 413 = 400): LogsFailure => ({
  ok: false,
  field,
  reason,
  status,
});

/** `{"awslogs": {"data": "…"}}`, the Lambda event and the HTTP body alike, decoded and validated. */
export function parseCloudWatchLogsEvent(json: unknown, maxBytes = DECOMPRESSED_MAX_BYTES): LogsDataResult {
  const parsed = schemas().event.safeParse(json);
  if (!parsed.success) return { ...firstIssue(parsed.error), status: 400 };
  return decodeLogsData(parsed.data.awslogs.data, maxBytes);
}

/** base64 → gunzip (bounded) → JSON → schema. */
export function decodeLogsData(data: string, maxBytes = DECOMPRESSED_MAX_BYTES): LogsDataResult {
  // Line breaks are tolerated: `base64` wraps its output at 76 characters unless told not to.
  const base64 = data.replace(/\s+/g, '');
  if (base64 === '') return fail(DATA_FIELD, 'must not be empty');
  // Buffer.from skips characters that are not base64 instead of failing, so the alphabet is checked first.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    return fail(DATA_FIELD, 'is not valid base64');
  }
  let json: string;
  try {
    json = gunzipSync(Buffer.from(base64, 'base64'), { maxOutputLength: maxBytes }).toString('utf8');
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      return fail(DATA_FIELD, `decompresses to more than ${maxBytes} bytes`, 413);
    }
    return fail(DATA_FIELD, `is not gzip data (${error instanceof Error ? error.message : 'unreadable'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return fail(DATA_FIELD, `does not hold JSON (${error instanceof Error ? error.message : 'unreadable'})`);
  }
  const parsed = schemas().data.safeParse(value);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    return fail(issue.field === 'body' ? DATA_FIELD : `${DATA_FIELD}.${issue.field}`, issue.reason);
  }
  if (parsed.data.messageType === 'DATA_MESSAGE' && parsed.data.logGroup.trim() === '') {
    return fail(`${DATA_FIELD}.logGroup`, 'must not be empty');
  }
  return { ok: true, data: parsed.data };
}

export interface LogsSignals {
  /** Log events in the delivery. */
  events: number;
  /** Events that reported an error. */
  errors: number;
  /** One per distinct error (fingerprint), in order of first appearance, `count` = its events. */
  signals: AlertSignal[];
}

/**
 * The alerts a delivery carries. `region` is where the log group lives (the deliveries do not say; a
 * subscription filter can only target a function of its own region), used for the console link.
 */
export function signalsFromLogsData(data: LogsData, region: string): LogsSignals {
  if (data.messageType === 'CONTROL_MESSAGE')
    return { events: data.logEvents.length, errors: 0, signals: [] };
  const link = streamLink(region, data);
  const groups = new Map<string, { signal: AlertSignal; count: number }>();
  let errors = 0;
  for (const event of data.logEvents) {
    const error = findLogError(event.message);
    if (error === undefined) continue;
    errors += 1;
    const signal = signalFromLogError(error, event.timestamp, data, link);
    const key = fingerprintOf(signal);
    const seen = groups.get(key);
    // The latest event's text and details win, as a repeat refreshes an open incident's.
    groups.set(key, { signal, count: (seen?.count ?? 0) + 1 });
  }
  const signals = [...groups.values()].map(({ signal, count }) =>
    count > 1 ? { ...signal, count } : signal,
  );
  return { events: data.logEvents.length, errors, signals };
}

function signalFromLogError(
  error: LogError,
  timestamp: number,
  data: LogsData,
  link: AlertLink | undefined,
): AlertSignal {
  const occurredAt = timestamp > 0 ? toIsoTimestamp(new Date(timestamp).toISOString()) : undefined;
  const kind = errorKind(error);
  const details: Record<string, unknown> = {
    'Log stream': data.logStream,
    ...(error.requestId === undefined ? {} : { 'Request id': error.requestId }),
    ...(error.errorType === undefined ? {} : { 'Error type': error.errorType }),
    ...(kind === undefined ? {} : { 'Error kind': kind }),
    ...(data.owner === '' ? {} : { Account: data.owner }),
  };
  return {
    action: 'trigger',
    title: error.title.slice(0, TITLE_MAX),
    message: error.text,
    // No severity: a log line has none. The incident opens as the default (error), and a repeat keeps what the
    // incident has (issue 20), so one lowered by hand is not raised again by the next line.
    source: data.logGroup,
    details,
    links: link === undefined ? [] : [link],
    ...(occurredAt === undefined ? {} : { occurredAt }),
  };
}

function streamLink(region: string, data: LogsData): AlertLink | undefined {
  if (!isRegion(region)) return undefined;
  return { title: 'CloudWatch log stream', url: logStreamConsoleUrl(region, data.logGroup, data.logStream) };
}

/** The shared error kinds (src/domain/classify.ts) of what the line names: `ThrottlingException`, `ECONNREFUSED`… */
function errorKind(error: LogError): string | undefined {
  const name = error.errorType === 'Sandbox.Timedout' ? 'TimeoutError' : error.errorType?.split('.').at(-1);
  const code = /\b(E[A-Z]{3,}(?:_[A-Z]+)?)\b/.exec(error.title)?.[1];
  const kind = classifyAwsError({ name, code });
  return kind === 'UNKNOWN' ? undefined : kind;
}
