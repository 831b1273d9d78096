/**
 * Amazon SNS HTTP(S) deliveries, and the CloudWatch alarm carried inside a Notification's `Message`.
 * Envelope: https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html (and the subscription /
 * unsubscribe confirmation pages next to it). Verify the signature (`sns-signature.ts`) before acting on any of it.
 *
 * Alarm → signal:
 * - `ALARM` → trigger. Severity `error` (the ALARM state itself, worse than INSUFFICIENT_DATA, so an alarm that
 *   goes INSUFFICIENT_DATA → ALARM is raised), unless the alarm's name or description carries a hint: the word
 *   `critical` → critical, `warning`/`warn` → warning (whole words, case-insensitive; `HighCPU-Critical` and
 *   `[critical] api 5xx` count, `noncritical` does not). Alarm names are the only knob most teams have, and
 *   CloudWatch has no severity field of its own.
 * - `INSUFFICIENT_DATA` → trigger with severity `warning`: something stopped reporting, not yet a failure.
 * - `OK` → resolve.
 * The dedup key is `cw:<AlarmArn>` (or `cw:<Region>:<AWSAccountId>:<AlarmName>` for senders without an ARN), so a
 * state flip-flop folds into, and resolves, the same incident.
 * A Notification whose Message is not a CloudWatch alarm becomes a plain signal titled by its Subject, with no
 * severity (it opens as the default, and a repeat keeps the incident's).
 */
import * as z from '../zod.js';
import { toIsoTimestamp, type AlertLink, type AlertSignal, type Severity } from '../alert.js';
import { TITLE_MAX } from './generic.js';
import { firstIssue, isPlainObject, type ParseFailure } from './parse-result.js';

/** SNS MessageIds are UUIDs; the cap keeps the dedup key (`sns:<MessageId>`) within DynamoDB's key limit. */
export const MESSAGE_ID_MAX = 100;

const base = {
  MessageId: z
    .string()
    .check(z.minLength(1), z.maxLength(MESSAGE_ID_MAX, `must be at most ${MESSAGE_ID_MAX} characters`)),
  TopicArn: z.string().check(z.minLength(1)),
  Message: z.string(),
  Timestamp: z.string().check(z.minLength(1)),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().check(z.minLength(1)),
  SigningCertURL: z.string().check(z.minLength(1)),
};

const notificationSchema = z.object({
  Type: z.literal('Notification'),
  ...base,
  // Absent when the publisher gave no subject. `null` is read as absent too.
  Subject: z.pipe(
    z.nullish(z.string()),
    z.transform((v) => v ?? undefined),
  ),
  UnsubscribeURL: z.optional(z.string()),
});

const confirmation = <T extends 'SubscriptionConfirmation' | 'UnsubscribeConfirmation'>(type: T) =>
  z.object({
    Type: z.literal(type),
    ...base,
    SubscribeURL: z.string().check(z.minLength(1)),
    Token: z.string().check(z.minLength(1)),
  });

export const snsEnvelopeSchema = z.discriminatedUnion('Type', [
  notificationSchema,
  confirmation('SubscriptionConfirmation'),
  confirmation('UnsubscribeConfirmation'),
]);

interface SnsBase {
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1' | '2';
  Signature: string;
  SigningCertURL: string;
}

export interface SnsNotification extends SnsBase {
  Type: 'Notification';
  Subject?: string;
  UnsubscribeURL?: string;
}

export interface SnsConfirmation extends SnsBase {
  Type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  SubscribeURL: string;
  Token: string;
}

export type SnsEnvelope = SnsNotification | SnsConfirmation;

export type SnsEnvelopeResult = { ok: true; envelope: SnsEnvelope } | ParseFailure;

export function parseSnsEnvelope(json: unknown): SnsEnvelopeResult {
  const parsed = snsEnvelopeSchema.safeParse(json);
  if (!parsed.success) return firstIssue(parsed.error);
  const data = parsed.data;
  const base: SnsBase = {
    MessageId: data.MessageId,
    TopicArn: data.TopicArn,
    Message: data.Message,
    Timestamp: data.Timestamp,
    SignatureVersion: data.SignatureVersion,
    Signature: data.Signature,
    SigningCertURL: data.SigningCertURL,
  };
  if (data.Type === 'Notification') {
    return {
      ok: true,
      envelope: {
        Type: data.Type,
        ...base,
        ...(data.Subject !== undefined ? { Subject: data.Subject } : {}),
        ...(data.UnsubscribeURL !== undefined ? { UnsubscribeURL: data.UnsubscribeURL } : {}),
      },
    };
  }
  return {
    ok: true,
    envelope: { Type: data.Type, ...base, SubscribeURL: data.SubscribeURL, Token: data.Token },
  };
}

const dimensionSchema = z.object({ name: z.string(), value: z.string() });

export const cloudWatchAlarmSchema = z.object({
  AlarmName: z.string().check(z.minLength(1)),
  AlarmDescription: z.nullish(z.string()),
  AWSAccountId: z.optional(z.string()),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.optional(z.string()),
  StateChangeTime: z.optional(z.string()),
  Region: z.optional(z.string()),
  AlarmArn: z.optional(z.string()),
  OldStateValue: z.optional(z.string()),
  Trigger: z.optional(
    z.looseObject({
      MetricName: z.nullish(z.string()),
      Namespace: z.nullish(z.string()),
      Statistic: z.nullish(z.string()),
      Dimensions: z.nullish(z.array(dimensionSchema)),
      Period: z.nullish(z.number()),
      EvaluationPeriods: z.nullish(z.number()),
      ComparisonOperator: z.nullish(z.string()),
      Threshold: z.nullish(z.number()),
    }),
  ),
});

export type CloudWatchAlarm = z.infer<typeof cloudWatchAlarmSchema>;

/** The CloudWatch alarm inside an SNS `Message`, or undefined when the message is something else. */
export function parseCloudWatchAlarm(message: string): CloudWatchAlarm | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!isPlainObject(json)) return undefined;
  const parsed = cloudWatchAlarmSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The signal an SNS Notification carries: a CloudWatch alarm when it is one, a plain alert otherwise. */
export function signalFromSnsNotification(notification: SnsNotification): AlertSignal {
  const alarm = parseCloudWatchAlarm(notification.Message);
  if (alarm !== undefined) return signalFromCloudWatchAlarm(alarm, notification.TopicArn);
  const title = notification.Subject ?? firstLine(notification.Message) ?? 'Amazon SNS notification';
  return {
    action: 'trigger',
    title: title.slice(0, TITLE_MAX),
    source: `sns:${topicName(notification.TopicArn)}`,
    links: [],
    ...(notification.Message.trim() !== '' ? { message: notification.Message } : {}),
    ...occurred(notification.Timestamp),
  };
}

export function signalFromCloudWatchAlarm(alarm: CloudWatchAlarm, topicArn?: string): AlertSignal {
  const description = alarm.AlarmDescription ?? undefined;
  const message = [description, alarm.NewStateReason]
    .filter((part) => part !== undefined && part !== '')
    .join('\n');
  const consoleLink = alarmConsoleLink(alarm);
  return {
    action: alarm.NewStateValue === 'OK' ? 'resolve' : 'trigger',
    title: alarm.AlarmName.slice(0, TITLE_MAX),
    severity: alarmSeverity(alarm),
    source: 'cloudwatch',
    dedupKey: `cw:${alarm.AlarmArn ?? `${alarm.Region ?? ''}:${alarm.AWSAccountId ?? ''}:${alarm.AlarmName}`}`,
    details: alarmDetails(alarm, topicArn),
    links: consoleLink === undefined ? [] : [consoleLink],
    ...(message !== '' ? { message } : {}),
    ...occurred(alarm.StateChangeTime),
  };
}

const CRITICAL_HINT = /(?:^|[^a-z])critical(?:[^a-z]|$)/i;
const WARNING_HINT = /(?:^|[^a-z])warn(?:ing)?(?:[^a-z]|$)/i;

function alarmSeverity(alarm: CloudWatchAlarm): Severity {
  if (alarm.NewStateValue === 'INSUFFICIENT_DATA') return 'warning';
  const text = `${alarm.AlarmName} ${alarm.AlarmDescription ?? ''}`;
  if (CRITICAL_HINT.test(text)) return 'critical';
  if (WARNING_HINT.test(text)) return 'warning';
  return 'error';
}

function alarmDetails(alarm: CloudWatchAlarm, topicArn: string | undefined): Record<string, unknown> {
  const trigger = alarm.Trigger;
  const dimensions = trigger?.Dimensions?.map((d) => `${d.name}=${d.value}`).join(', ');
  const entries: [string, unknown][] = [
    [
      'State',
      alarm.OldStateValue !== undefined
        ? `${alarm.OldStateValue} → ${alarm.NewStateValue}`
        : alarm.NewStateValue,
    ],
    [
      'Metric',
      trigger?.Namespace && trigger.MetricName
        ? `${trigger.Namespace} ${trigger.MetricName}`
        : trigger?.MetricName,
    ],
    ['Dimensions', dimensions === '' ? undefined : dimensions],
    [
      'Threshold',
      trigger?.ComparisonOperator && trigger.Threshold !== undefined && trigger.Threshold !== null
        ? `${trigger.ComparisonOperator} ${trigger.Threshold}`
        : undefined,
    ],
    ['Account', alarm.AWSAccountId],
    ['Region', alarm.Region],
    ['Topic', topicArn],
  ];
  return Object.fromEntries(
    entries.filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
}

/** A console deep link when the alarm ARN names a region in the standard `aws` partition. */
function alarmConsoleLink(alarm: CloudWatchAlarm): AlertLink | undefined {
  const match = /^arn:aws:cloudwatch:([a-z0-9-]+):\d+:alarm:/.exec(alarm.AlarmArn ?? '');
  const region = match?.[1];
  if (region === undefined) return undefined;
  return {
    title: 'CloudWatch alarm',
    url: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`,
  };
}

function occurred(value: string | undefined): { occurredAt?: string } {
  const iso = toIsoTimestamp(value);
  return iso === undefined ? {} : { occurredAt: iso };
}

function topicName(topicArn: string): string {
  return topicArn.split(':').at(-1) ?? topicArn;
}

function firstLine(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line?.trim();
}
