/**
 * Amazon SNS message signatures, per
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html:
 * the string to sign is `Name\nValue\n` for a fixed, byte-sorted list of fields, which differs by message type;
 * `SignatureVersion` 1 signs it with SHA1withRSA, 2 with SHA256withRSA; the certificate comes from
 * `SigningCertURL`, which must be an SNS host. Fetching that certificate is I/O and belongs to the ingress route
 * (cache it by URL); everything here is pure.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { SnsEnvelope } from './cloudwatch-sns.js';

/** The fields, in the order AWS signs them. `Subject` only when the notification has one. */
export function buildSnsStringToSign(envelope: SnsEnvelope): string {
  const fields: [string, string][] =
    envelope.Type === 'Notification'
      ? [
          ['Message', envelope.Message],
          ['MessageId', envelope.MessageId],
          ...(envelope.Subject !== undefined ? ([['Subject', envelope.Subject]] as [string, string][]) : []),
          ['Timestamp', envelope.Timestamp],
          ['TopicArn', envelope.TopicArn],
          ['Type', envelope.Type],
        ]
      : [
          ['Message', envelope.Message],
          ['MessageId', envelope.MessageId],
          ['SubscribeURL', envelope.SubscribeURL],
          ['Timestamp', envelope.Timestamp],
          ['Token', envelope.Token],
          ['TopicArn', envelope.TopicArn],
          ['Type', envelope.Type],
        ];
  return fields.map(([name, value]) => `${name}\n${value}\n`).join('');
}

/**
 * True when `Signature` is a valid signature of the envelope by the certificate's key. Any malformed input (bad
 * PEM, bad base64, wrong key type) is simply "not verified": this never throws.
 */
export function verifySnsSignature(envelope: SnsEnvelope, certificatePem: string): boolean {
  const algorithm = envelope.SignatureVersion === '2' ? 'sha256' : 'sha1';
  try {
    const key = createPublicKey(certificatePem);
    const signature = Buffer.from(envelope.Signature, 'base64');
    if (signature.length === 0) return false;
    return verify(algorithm, Buffer.from(buildSnsStringToSign(envelope), 'utf8'), key, signature);
  } catch {
    return false;
  }
}

// sns.<region>.amazonaws.com, and sns.<region>.amazonaws.com.cn in the China partition.
const SNS_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com(?:\.cn)?$/;

export interface TrustedCertUrlOptions {
  /**
   * Replaces the SNS host rule; matched against the URL's `host` (hostname plus any port), e.g.
   * `/^127\.0\.0\.1:\d+$/` for a local fake in tests.
   */
  allowedHostPattern?: RegExp;
  /** Accept `http:` as well as `https:`. Only for a local fake; never in production. */
  allowHttp?: boolean;
}

/**
 * Whether a `SigningCertURL` may be fetched and trusted: https, an SNS regional host, no credentials or custom
 * port, a path ending in `.pem`. A forged message can point anywhere, so this runs before any fetch.
 */
export function isTrustedSigningCertUrl(url: string, options: TrustedCertUrlOptions = {}): boolean {
  const parsed = snsUrl(url, options);
  return parsed !== undefined && parsed.pathname.endsWith('.pem');
}

/**
 * Whether a SubscriptionConfirmation's `SubscribeURL` may be visited: https on an SNS regional host, no
 * credentials or custom port. Visiting it subscribes us, so a forged confirmation must not make us call
 * anywhere else. `options` as for `isTrustedSigningCertUrl` (tests only).
 */
export function isTrustedSubscribeUrl(url: string, options: TrustedCertUrlOptions = {}): boolean {
  return snsUrl(url, options) !== undefined;
}

/** `url` parsed when it is https (or allowed http) on an SNS host, without credentials or a custom port. */
function snsUrl(url: string, options: TrustedCertUrlOptions): URL | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const protocolOk =
    parsed.protocol === 'https:' || (options.allowHttp === true && parsed.protocol === 'http:');
  if (!protocolOk || parsed.username !== '' || parsed.password !== '') return undefined;
  const hostOk =
    options.allowedHostPattern !== undefined
      ? options.allowedHostPattern.test(parsed.host)
      : parsed.port === '' && SNS_HOST.test(parsed.hostname);
  return hostOk ? parsed : undefined;
}
