import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/domain/alert.js';
import {
  parseCloudWatchAlarm,
  parseSnsEnvelope,
  signalFromCloudWatchAlarm,
  signalFromSnsNotification,
  type SnsNotification,
} from '../../src/domain/sources/cloudwatch-sns.js';
import { fixture } from '../fixtures/index.js';

function notification(name: string): SnsNotification {
  const result = parseSnsEnvelope(fixture(name));
  if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
  if (result.envelope.Type !== 'Notification') throw new Error('not a notification');
  return result.envelope;
}

describe('parseSnsEnvelope', () => {
  it('parses the documented subscription confirmation', () => {
    const result = parseSnsEnvelope(fixture('sns-subscription-confirmation.json'));
    expect(result).toMatchObject({
      ok: true,
      envelope: {
        Type: 'SubscriptionConfirmation',
        TopicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
        SubscribeURL: expect.stringContaining('Action=ConfirmSubscription') as unknown,
        Token: expect.stringMatching(/^2336412f/) as unknown,
      },
    });
  });

  it('parses the documented notification', () => {
    expect(notification('sns-notification.json')).toMatchObject({
      Subject: 'My First Message',
      Message: 'Hello world!',
    });
  });

  it('treats a null Subject as absent', () => {
    const body = { ...(fixture('sns-notification.json') as Record<string, unknown>), Subject: null };
    const result = parseSnsEnvelope(body);
    expect(result.ok && result.envelope.Type === 'Notification' && result.envelope.Subject).toBeUndefined();
  });

  it.each([
    [{ Type: 'Bogus' }, 'Type'],
    [{ ...(fixture('sns-notification.json') as object), SignatureVersion: '3' }, 'SignatureVersion'],
    [{ ...(fixture('sns-notification.json') as object), MessageId: undefined }, 'MessageId'],
    [
      { ...(fixture('sns-subscription-confirmation.json') as object), SubscribeURL: undefined },
      'SubscribeURL',
    ],
    [{ ...(fixture('sns-subscription-confirmation.json') as object), Token: undefined }, 'Token'],
    ['text', 'body'],
  ])('refuses %j naming %s', (body, field) => {
    expect(parseSnsEnvelope(body)).toMatchObject({ ok: false, field });
  });
});

describe('CloudWatch alarms over SNS', () => {
  it('maps ALARM to a trigger', () => {
    expect(signalFromSnsNotification(notification('sns-cloudwatch-alarm.json'))).toEqual({
      action: 'trigger',
      title: 'api-high-cpu',
      message:
        'CPU above 80% on the API fleet\nThreshold Crossed: 1 out of the last 1 datapoints [91.5 (01/01/26 00:00:00)] was greater than the threshold (80.0) (minimum 1 datapoint for OK -> ALARM transition).',
      severity: 'error',
      source: 'cloudwatch',
      dedupKey: 'cw:arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-high-cpu',
      occurredAt: '2026-01-01T00:00:00.123Z',
      details: {
        State: 'OK → ALARM',
        Metric: 'AWS/EC2 CPUUtilization',
        Dimensions: 'AutoScalingGroupName=api-asg',
        Threshold: 'GreaterThanThreshold 80',
        Account: '123456789012',
        Region: 'US East (N. Virginia)',
        Topic: 'arn:aws:sns:us-east-1:123456789012:cloudwatch-alarms',
      },
      links: [
        {
          title: 'CloudWatch alarm',
          url: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/api-high-cpu',
        },
      ],
    });
  });

  it('maps OK to a resolve of the same incident', () => {
    const alarm = signalFromSnsNotification(notification('sns-cloudwatch-alarm.json'));
    const ok = signalFromSnsNotification(notification('sns-cloudwatch-ok.json'));
    expect(ok.action).toBe('resolve');
    expect(fingerprintOf(ok)).toBe(fingerprintOf(alarm));
  });

  const base = parseCloudWatchAlarm(notification('sns-cloudwatch-alarm.json').Message)!;

  it.each([
    ['HighCPU-Critical', undefined, 'critical'],
    ['api 5xx', '[critical] page someone', 'critical'],
    ['disk-warning', undefined, 'warning'],
    ['queue WARN', undefined, 'warning'],
    ['noncritical-batch', 'uncritical', 'error'],
    ['api-high-cpu', null, 'error'],
  ] as const)('reads severity hints: %s / %s → %s', (AlarmName, AlarmDescription, severity) => {
    expect(signalFromCloudWatchAlarm({ ...base, AlarmName, AlarmDescription }).severity).toBe(severity);
  });

  it('maps INSUFFICIENT_DATA to a warning trigger', () => {
    const signal = signalFromCloudWatchAlarm({
      ...base,
      AlarmName: 'x-critical',
      NewStateValue: 'INSUFFICIENT_DATA',
    });
    expect(signal).toMatchObject({ action: 'trigger', severity: 'warning' });
  });

  it('builds a dedup key without an ARN', () => {
    const { AlarmArn: _omit, ...rest } = base;
    const signal = signalFromCloudWatchAlarm(rest);
    expect(signal.dedupKey).toBe('cw:US East (N. Virginia):123456789012:api-high-cpu');
    expect(signal.links).toEqual([]);
  });

  it('turns a non-CloudWatch message into a plain signal titled by Subject, with no severity', () => {
    expect(signalFromSnsNotification(notification('sns-notification.json'))).toEqual({
      action: 'trigger',
      title: 'My First Message',
      message: 'Hello world!',
      source: 'sns:MyTopic',
      occurredAt: '2012-05-02T00:54:06.655Z',
      links: [],
    });
  });

  it('titles a subject-less plain message by its first line', () => {
    const { Subject: _omit, ...rest } = notification('sns-notification.json');
    const signal = signalFromSnsNotification({ ...rest, Message: '\nBackup failed\nexit 1' });
    expect(signal.title).toBe('Backup failed');
  });

  it('does not mistake other JSON for an alarm', () => {
    expect(parseCloudWatchAlarm('{"hello":"world"}')).toBeUndefined();
    expect(parseCloudWatchAlarm('[1,2]')).toBeUndefined();
    expect(parseCloudWatchAlarm('not json')).toBeUndefined();
  });
});
