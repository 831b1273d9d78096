/**
 * `POST /api/alerts/sns` the way Amazon SNS calls it (text/plain JSON, x-amz-sns-* headers), with the
 * documented SNS and CloudWatch examples (test/fixtures/sns-*.json) re-signed by a fake SNS whose certificate
 * the app fetches. The fake is trusted only through the test override; the production rule is tested too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../../src/domain/sources/cloudwatch-sns.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import { BUTTON_LABELS, buttonLabels, post, postedMessage, rendered } from '../helpers/alerts.js';
import { startFakeSns, type FakeSns } from '../fakes/sns.js';
import { fixture } from '../fixtures/index.js';

const ALARM_TOPIC = 'arn:aws:sns:us-east-1:123456789012:cloudwatch-alarms';
const EXAMPLE_TOPIC = 'arn:aws:sns:us-west-2:123456789012:MyTopic';
const LOCAL_FAKE = { allowedHostPattern: /^127\.0\.0\.1:\d+$/, allowHttp: true };

function example(name: string, overrides: Partial<Record<string, string>> = {}): SnsEnvelope {
  return { ...(fixture(`sns-${name}.json`) as SnsEnvelope), ...overrides } as SnsEnvelope;
}

/** Posts an envelope exactly as SNS does. */
function deliver(h: TestHikeshi, envelope: SnsEnvelope | string, type?: string) {
  const body = typeof envelope === 'string' ? envelope : JSON.stringify(envelope);
  const headers: Record<string, string> = { 'user-agent': 'Amazon Simple Notification Service Agent' };
  const messageType = type ?? (typeof envelope === 'string' ? undefined : envelope.Type);
  if (messageType !== undefined) headers['x-amz-sns-message-type'] = messageType;
  if (typeof envelope !== 'string') {
    headers['x-amz-sns-message-id'] = envelope.MessageId;
    headers['x-amz-sns-topic-arn'] = envelope.TopicArn;
  }
  return post(`${h.baseUrl}/api/alerts/sns`, body, { contentType: 'text/plain; charset=UTF-8', headers });
}

describe('POST /api/alerts/sns', () => {
  let h: TestHikeshi;
  let sns: FakeSns;
  /** Signed now by the fake, as SNS would sign it. */
  let signed: (name: string, overrides?: Partial<Record<string, string>>, version?: '1' | '2') => SnsEnvelope;

  beforeAll(async () => {
    sns = await startFakeSns();
    h = await startHikeshi({
      env: { SNS_TOPIC_ARNS: `${ALARM_TOPIC},${EXAMPLE_TOPIC}` },
      overrides: { sns: { trust: LOCAL_FAKE } },
    });
    signed = (name, overrides = {}, version = '1') =>
      sns.sign(example(name, { Timestamp: new Date(h.clock.now()).toISOString(), ...overrides }), version);
  });
  afterAll(async () => {
    await h.close();
    await sns.close();
  });

  it('refuses a bad signature (401) and an untrusted certificate URL (400), storing nothing', async () => {
    const forged = {
      ...signed('cloudwatch-alarm'),
      Message: '{"AlarmName":"forged","NewStateValue":"ALARM"}',
    };
    expect(await deliver(h, forged)).toMatchObject({
      status: 401,
      body: { error: 'invalid SNS message signature' },
    });
    const elsewhere = { ...signed('cloudwatch-alarm'), SigningCertURL: 'https://evil.example.com/cert.pem' };
    expect(await deliver(h, elsewhere)).toMatchObject({ status: 400, body: { field: 'SigningCertURL' } });
    const amazonLookalike = {
      ...signed('cloudwatch-alarm'),
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-x.pem',
    };
    expect((await deliver(h, amazonLookalike)).status).toBe(400);
    expect(await h.store.incidents.listOpen()).toEqual([]);
    expect(h.emulator.workspace.postCalls()).toEqual([]);
    // The forged message was unsigned garbage, but it did get the (trusted) certificate fetched once.
    expect(sns.certificateRequests).toBe(1);
  });

  it('refuses a topic outside SNS_TOPIC_ARNS (403), malformed bodies (400) and a mismatched type header', async () => {
    const foreign = signed('cloudwatch-alarm', {
      TopicArn: 'arn:aws:sns:us-east-1:999999999999:someone-else',
    });
    expect(await deliver(h, foreign)).toMatchObject({ status: 403 });
    expect(await deliver(h, '{"Type":"Notification"')).toMatchObject({
      status: 400,
      body: { field: 'body' },
    });
    expect(await deliver(h, JSON.stringify({ Type: 'Notification' }))).toMatchObject({
      status: 400,
      body: { field: 'MessageId' },
    });
    expect(await deliver(h, signed('cloudwatch-alarm'), 'SubscriptionConfirmation')).toMatchObject({
      status: 400,
      body: { field: 'Type' },
    });
    const form = await post(`${h.baseUrl}/api/alerts/sns`, 'a=b', {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(await h.store.incidents.listOpen()).toEqual([]);
  });

  it('refuses a message older than the redelivery window', async () => {
    const old = signed('cloudwatch-alarm', {
      Timestamp: new Date(h.clock.now() - 8 * 86_400_000).toISOString(),
    });
    expect(await deliver(h, old)).toMatchObject({ status: 400, body: { field: 'Timestamp' } });
    expect(await h.store.incidents.listOpen()).toEqual([]);
  });

  it('confirms a subscription by fetching its SubscribeURL, once per MessageId', async () => {
    const token = (fixture('sns-subscription-confirmation.json') as { Token: string }).Token;
    const confirmation = signed('subscription-confirmation', {
      SubscribeURL: sns.subscribeUrl(EXAMPLE_TOPIC, token),
    });
    expect(await deliver(h, confirmation)).toEqual({
      status: 200,
      body: { message_id: confirmation.MessageId, subscribed: EXAMPLE_TOPIC },
    });
    expect(sns.confirmations.map((q) => [q.get('TopicArn'), q.get('Token')])).toEqual([
      [EXAMPLE_TOPIC, token],
    ]);
    expect((await deliver(h, confirmation)).body).toMatchObject({ duplicate: true });
    expect(sns.confirmations).toHaveLength(1);
  });

  it('does not visit a SubscribeURL outside SNS', async () => {
    const confirmation = signed('subscription-confirmation', {
      MessageId: 'c0ffee00-0000-4000-8000-000000000001',
      SubscribeURL: 'https://attacker.example/?Action=ConfirmSubscription',
    });
    expect(await deliver(h, confirmation)).toMatchObject({ status: 400, body: { field: 'SubscribeURL' } });
    expect(sns.confirmations).toHaveLength(1);
  });

  let incidentId = '';

  it('opens an incident for a signed ALARM, with the five buttons', async () => {
    const alarm = signed('cloudwatch-alarm');
    const res = await deliver(h, alarm);
    expect(res).toMatchObject({
      status: 200,
      body: { message_id: alarm.MessageId, action: 'opened', status: 'triggered', deduplicated: false },
    });
    incidentId = String(res.body['incident_id']);
    const message = await postedMessage(h, incidentId);
    expect(buttonLabels(message)).toEqual(BUTTON_LABELS);
    expect(rendered(message)).toContain('api-high-cpu');
  });

  it('processes a redelivery (same MessageId) once, and folds a new ALARM message', async () => {
    const redelivered = signed('cloudwatch-alarm');
    expect(await deliver(h, redelivered)).toEqual({
      status: 200,
      body: { message_id: redelivered.MessageId, duplicate: true },
    });
    expect((await h.app.services.incidents.get(incidentId))?.count).toBe(1);

    const again = signed('cloudwatch-alarm', { MessageId: '7e1d0c5a-0000-4000-8000-000000000002' }, '2');
    expect(await deliver(h, again)).toMatchObject({
      status: 200,
      body: { action: 'folded', incident_id: incidentId, deduplicated: true },
    });
    expect((await h.app.services.incidents.get(incidentId))?.count).toBe(2);
  });

  it('resolves the incident on OK', async () => {
    const ok = signed('cloudwatch-ok');
    expect(await deliver(h, ok)).toMatchObject({
      status: 200,
      body: { action: 'resolved', incident_id: incidentId, status: 'resolved' },
    });
    expect(await h.app.services.incidents.listOpen()).toEqual([]);
  });

  it('fetched the signing certificate once (cached by URL)', () => {
    expect(sns.certificateRequests).toBe(1);
  });
});

describe('SNS trust rules without the test override', () => {
  it('never fetches a certificate from a non-SNS host, so a local fake is refused', async () => {
    const sns = await startFakeSns();
    const h = await startHikeshi({ env: { SNS_TOPIC_ARNS: ALARM_TOPIC } });
    try {
      const alarm = sns.sign(
        example('cloudwatch-alarm', { Timestamp: new Date(h.clock.now()).toISOString() }),
      );
      expect(await deliver(h, alarm)).toMatchObject({ status: 400, body: { field: 'SigningCertURL' } });
      expect(sns.certificateRequests).toBe(0);
      expect(await h.store.incidents.listOpen()).toEqual([]);
    } finally {
      await h.close();
      await sns.close();
    }
  });

  it('outside emulator mode, refuses every message while SNS_TOPIC_ARNS is unset', async () => {
    const sns = await startFakeSns();
    const h = await startHikeshi({
      env: { SLACK_BOT_TOKEN: 'xoxb-not-used', SLACK_SIGNING_SECRET: 'not-used-either' },
      overrides: { sns: { trust: LOCAL_FAKE } },
    });
    try {
      const alarm = sns.sign(
        example('cloudwatch-alarm', { Timestamp: new Date(h.clock.now()).toISOString() }),
      );
      expect(await deliver(h, alarm)).toMatchObject({
        status: 401,
        body: { error: 'SNS_TOPIC_ARNS is not configured' },
      });
      expect(await h.store.incidents.listOpen()).toEqual([]);
    } finally {
      await h.close();
      await sns.close();
    }
  });
});
