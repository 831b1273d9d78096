import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSnsEnvelope, type SnsEnvelope } from '../../src/domain/sources/cloudwatch-sns.js';
import {
  buildSnsStringToSign,
  isTrustedSigningCertUrl,
  verifySnsSignature,
} from '../../src/domain/sources/sns-signature.js';
import { fixture, fixtureText } from '../fixtures/index.js';

const certificate = fixtureText('sns-test-cert.pem');
const privateKey = fixtureText('sns-test-key.pem');

function envelope(name: string): SnsEnvelope {
  const result = parseSnsEnvelope(fixture(name));
  if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
  return result.envelope;
}

/** The example, signed with the test key the way SNS signs it. */
function signed(example: SnsEnvelope, version: '1' | '2' = '1'): SnsEnvelope {
  const withVersion = { ...example, SignatureVersion: version };
  const signature = sign(
    version === '2' ? 'sha256' : 'sha1',
    Buffer.from(buildSnsStringToSign(withVersion)),
    privateKey,
  );
  return { ...withVersion, Signature: signature.toString('base64') };
}

describe('buildSnsStringToSign', () => {
  it('matches the AWS documentation for a Notification', () => {
    expect(buildSnsStringToSign(envelope('sns-notification.json'))).toBe(
      [
        'Message',
        'Hello world!',
        'MessageId',
        '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
        'Subject',
        'My First Message',
        'Timestamp',
        '2012-05-02T00:54:06.655Z',
        'TopicArn',
        'arn:aws:sns:us-west-2:123456789012:MyTopic',
        'Type',
        'Notification',
        '',
      ].join('\n'),
    );
  });

  it('leaves Subject out when the notification has none', () => {
    const example = envelope('sns-notification.json');
    if (example.Type !== 'Notification') throw new Error('fixture');
    const { Subject: _omit, ...rest } = example;
    expect(buildSnsStringToSign(rest)).not.toContain('Subject');
  });

  it('uses SubscribeURL and Token for a SubscriptionConfirmation, in byte order', () => {
    const example = envelope('sns-subscription-confirmation.json');
    if (example.Type === 'Notification') throw new Error('fixture');
    expect(buildSnsStringToSign(example)).toBe(
      [
        'Message',
        // the Message's "\n" is a real newline in the signed text, as AWS requires
        'You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.',
        'To confirm the subscription, visit the SubscribeURL included in this message.',
        'MessageId',
        '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
        'SubscribeURL',
        example.SubscribeURL,
        'Timestamp',
        '2012-04-26T20:45:04.751Z',
        'Token',
        example.Token,
        'TopicArn',
        'arn:aws:sns:us-west-2:123456789012:MyTopic',
        'Type',
        'SubscriptionConfirmation',
        '',
      ].join('\n'),
    );
  });
});

describe('verifySnsSignature', () => {
  it.each([
    ['sns-notification.json', '1'],
    ['sns-notification.json', '2'],
    ['sns-cloudwatch-alarm.json', '1'],
    ['sns-subscription-confirmation.json', '1'],
    ['sns-subscription-confirmation.json', '2'],
  ] as const)('verifies %s signed with version %s', (name, version) => {
    expect(verifySnsSignature(signed(envelope(name), version), certificate)).toBe(true);
  });

  it.each(['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn'] as const)(
    'fails when %s is tampered with',
    (field) => {
      const good = signed(envelope('sns-cloudwatch-alarm.json'));
      expect(
        verifySnsSignature({ ...good, [field]: `${String(good[field as keyof typeof good])}x` }, certificate),
      ).toBe(false);
    },
  );

  it('fails for a tampered confirmation Token and for a changed signature version', () => {
    const good = signed(envelope('sns-subscription-confirmation.json'));
    if (good.Type === 'Notification') throw new Error('fixture');
    expect(verifySnsSignature({ ...good, Token: 'x' }, certificate)).toBe(false);
    expect(verifySnsSignature({ ...good, SignatureVersion: '2' }, certificate)).toBe(false);
  });

  it("fails with someone else's key, and with garbage, without throwing", () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = envelope('sns-notification.json');
    const signature = sign('sha1', Buffer.from(buildSnsStringToSign(forged)), other.privateKey).toString(
      'base64',
    );
    expect(verifySnsSignature({ ...forged, Signature: signature }, certificate)).toBe(false);
    expect(verifySnsSignature(envelope('sns-notification.json'), certificate)).toBe(false); // AWS's placeholder
    expect(verifySnsSignature(signed(envelope('sns-notification.json')), 'not a pem')).toBe(false);
    expect(verifySnsSignature({ ...forged, Signature: '' }, certificate)).toBe(false);
  });

  it('accepts a bare public key as well as a certificate', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const example = envelope('sns-notification.json');
    const signature = sign(
      'sha256',
      Buffer.from(buildSnsStringToSign({ ...example, SignatureVersion: '2' })),
      pair.privateKey,
    );
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(
      verifySnsSignature({ ...example, SignatureVersion: '2', Signature: signature.toString('base64') }, pem),
    ).toBe(true);
  });
});

describe('isTrustedSigningCertUrl', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem',
    'https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-56e67fcb41f6fec09b0196692625d385.pem',
    'https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-x.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-x.pem',
  ])('trusts %s', (url) => {
    expect(isTrustedSigningCertUrl(url)).toBe(true);
  });

  it.each([
    'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem',
    'https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-x.pem',
    'https://evil.com/sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com@evil.com/x.pem',
    'https://user@sns.us-east-1.amazonaws.com/x.pem',
    'https://s3.amazonaws.com/x.pem',
    'https://sns.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com/x.crt',
    'https://sns.us-east-1.amazonaws.com:8443/x.pem',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isTrustedSigningCertUrl(url)).toBe(false);
  });

  it('lets tests allow a local fake', () => {
    const options = { allowedHostPattern: /^127\.0\.0\.1:\d+$/, allowHttp: true };
    expect(isTrustedSigningCertUrl('http://127.0.0.1:4567/cert.pem', options)).toBe(true);
    expect(
      isTrustedSigningCertUrl('http://127.0.0.1:4567/cert.pem', { allowedHostPattern: /^127\.0\.0\.1:\d+$/ }),
    ).toBe(false);
    expect(isTrustedSigningCertUrl('http://sns.us-east-1.amazonaws.com/x.pem', options)).toBe(false);
  });
});
