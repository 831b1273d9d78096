/**
 * createDynamoClients gives its client one SignatureV4 for all calls (src/store/dynamo.ts). Checked on the wire:
 * the server recomputes each request's signature with a fresh SignatureV4 (no cached key) from the credentials
 * in use, and the client follows credentials that change (a provider whose keys rotate, as a Lambda role's do).
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../src/store/dynamo.js';

interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const seen: Received[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers[name] = value;
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      body: Buffer.concat(chunks).toString(),
    });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
  });
});
let endpoint = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = new GetItemCommand({ TableName: 'Incidents', Key: { pk: { S: 'incident#1' } } });

/** What a fresh signer with `credentials` makes of the request as received: the Authorization it must carry. */
async function expectedAuthorization(
  received: Received,
  credentials: Credentials,
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'],
): Promise<string> {
  const signed = /SignedHeaders=([^,]+)/.exec(received.headers['authorization'] ?? '')?.[1]?.split(';') ?? [];
  const headers = Object.fromEntries(signed.map((name) => [name, received.headers[name] ?? '']));
  const date = received.headers['x-amz-date'] ?? '';
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const fresh = new SignatureV4({ credentials, region: 'ap-northeast-1', service: 'dynamodb', sha256 });
  const [hostname = '', port] = (headers['host'] ?? '').split(':');
  const request = {
    method: received.method,
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: received.path,
    query: {},
    headers,
    body: received.body,
  };
  const result = await fresh.sign(request, { signingDate });
  return (result.headers as Record<string, string>)['authorization'] ?? '';
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Within the SDK's five-minute refresh window: it asks the provider again on every call. */
  expiration: Date;
}

describe('DynamoDB request signing', () => {
  it('signs every call correctly with one signer, and follows rotating credentials', async () => {
    const generations: Credentials[] = [1, 2].map((n) => ({
      accessKeyId: `AKID${n}`,
      secretAccessKey: `secret-${n}`,
      sessionToken: `token-${n}`,
      expiration: new Date(Date.now() + 60_000),
    }));
    let current = generations[0] as Credentials;
    const { client } = createDynamoClients({ region: 'ap-northeast-1', endpoint, maxAttempts: 1 });
    client.config.credentials = () => Promise.resolve(current);
    try {
      for (const credentials of generations) {
        current = credentials;
        // Twice each: the second call signs with the signing key the first one cached.
        for (let call = 0; call < 2; call += 1) {
          seen.length = 0;
          await client.send(get);
          const [received] = seen;
          if (received === undefined) throw new Error('the server received nothing');
          expect(received.headers['authorization']).toContain(
            `Credential=${credentials.accessKeyId}/${received.headers['x-amz-date']?.slice(0, 8)}/ap-northeast-1/dynamodb/aws4_request`,
          );
          expect(received.headers['authorization']).toBe(
            await expectedAuthorization(received, credentials, client.config.sha256),
          );
          expect(received.headers['x-amz-security-token']).toBe(credentials.sessionToken);
        }
      }
    } finally {
      client.destroy();
    }
  });
});
