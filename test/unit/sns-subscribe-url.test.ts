import { describe, expect, it } from 'vitest';
import { isTrustedSubscribeUrl } from '../../src/domain/sources/sns-signature.js';
import { fixture } from '../fixtures/index.js';

describe('isTrustedSubscribeUrl', () => {
  it("accepts the documented example's SubscribeURL", () => {
    const example = fixture('sns-subscription-confirmation.json') as { SubscribeURL: string };
    expect(isTrustedSubscribeUrl(example.SubscribeURL)).toBe(true);
    expect(isTrustedSubscribeUrl('https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription')).toBe(
      true,
    );
  });

  it('refuses other hosts, http, credentials and custom ports', () => {
    for (const url of [
      'https://example.com/?Action=ConfirmSubscription',
      'https://sns.us-east-1.amazonaws.com.evil.example/?Action=ConfirmSubscription',
      'https://evil.example/sns.us-east-1.amazonaws.com/',
      'http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
      'https://user:pw@sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
      'https://sns.us-east-1.amazonaws.com:8443/?Action=ConfirmSubscription',
      'https://s3.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
      'not a url',
    ]) {
      expect(isTrustedSubscribeUrl(url), url).toBe(false);
    }
  });

  it('accepts a local fake only through the explicit test options', () => {
    const local = 'http://127.0.0.1:4567/?Action=ConfirmSubscription';
    expect(isTrustedSubscribeUrl(local)).toBe(false);
    expect(isTrustedSubscribeUrl(local, { allowedHostPattern: /^127\.0\.0\.1:\d+$/, allowHttp: true })).toBe(
      true,
    );
  });
});
