/**
 * A fake of the two things an SNS HTTP(S) endpoint fetches from AWS: the signing certificate
 * (`GET /SimpleNotificationService-<id>.pem`, serving the test-only certificate in test/fixtures) and the
 * `SubscribeURL` (`GET /?Action=ConfirmSubscription&TopicArn=…&Token=…`, answering the XML SNS answers).
 * `sign` re-signs an envelope with the matching test key exactly as SNS signs it (SignatureVersion 1 or 2),
 * pointing `SigningCertURL` (and a confirmation's `SubscribeURL`) at this fake.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from 'node:crypto';
import type { SnsEnvelope } from '../../src/domain/sources/cloudwatch-sns.js';
import { buildSnsStringToSign } from '../../src/domain/sources/sns-signature.js';
import { fixtureText } from '../fixtures/index.js';

const CERT_PATH = '/SimpleNotificationService-0000000000000000000000000000test.pem';

export interface FakeSns {
  url: string;
  certUrl: string;
  /** Query strings of every ConfirmSubscription GET. */
  confirmations: URLSearchParams[];
  certificateRequests: number;
  /** A SubscribeURL on this fake for the topic and token. */
  subscribeUrl(topicArn: string, token: string): string;
  sign<T extends SnsEnvelope>(envelope: T, version?: '1' | '2'): T;
  close(): Promise<void>;
}

export async function startFakeSns(): Promise<FakeSns> {
  const certificate = fixtureText('sns-test-cert.pem');
  const privateKey = fixtureText('sns-test-key.pem');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === CERT_PATH) {
      fake.certificateRequests += 1;
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' });
      res.end(certificate);
      return;
    }
    if (
      req.method === 'GET' &&
      url.pathname === '/' &&
      url.searchParams.get('Action') === 'ConfirmSubscription'
    ) {
      fake.confirmations.push(url.searchParams);
      const arn = `${url.searchParams.get('TopicArn') ?? ''}:a7b5c4d3-0000-4000-8000-000000000001`;
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult>` +
          `<SubscriptionArn>${arn}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`,
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeSns = {
    url: base,
    certUrl: `${base}${CERT_PATH}`,
    confirmations: [],
    certificateRequests: 0,
    subscribeUrl: (topicArn, token) =>
      `${base}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`,
    sign(envelope, version = '1') {
      const unsigned = { ...envelope, SignatureVersion: version, SigningCertURL: fake.certUrl };
      const signature = sign(
        version === '2' ? 'sha256' : 'sha1',
        Buffer.from(buildSnsStringToSign(unsigned), 'utf8'),
        privateKey,
      );
      return { ...unsigned, Signature: signature.toString('base64') };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}
