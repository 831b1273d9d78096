/**
 * A Secrets Manager fake speaking the real wire protocol (AWS JSON 1.1): `POST /` with
 * `X-Amz-Target: secretsmanager.GetSecretValue`. Point the SDK at it with `AWS_ENDPOINT_URL_SECRETS_MANAGER`
 * or a client `endpoint`. It checks that requests are SigV4-signed and records them for assertions.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerFakeRequest {
  method: string;
  path: string;
  /** `X-Amz-Target` header, e.g. `secretsmanager.GetSecretValue`. */
  target: string | undefined;
  contentType: string | undefined;
  /** True when an `Authorization: AWS4-HMAC-SHA256 Credential=…` header was sent. */
  signed: boolean;
  /** Region and service of the SigV4 credential scope. */
  signingRegion: string | undefined;
  signingService: string | undefined;
  body: unknown;
}

export interface SecretsManagerFakeOptions {
  /** Secret ids answered with AccessDeniedException. */
  deny?: Iterable<string>;
}

export interface SecretsManagerFake {
  /** Endpoint URL, e.g. `http://127.0.0.1:53123`. */
  url: string;
  requests: SecretsManagerFakeRequest[];
  /** Adds or replaces a secret (a rotation). */
  setSecret(name: string, value: Record<string, string> | string): void;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';
const JSON_TYPE = 'application/x-amz-json-1.1';

interface StoredSecret {
  name: string;
  arnSuffix: string;
  secretString: string;
  versionId: string;
  createdDate: number;
}

export async function startSecretsManagerFake(
  secrets: Record<string, Record<string, string> | string>,
  options: SecretsManagerFakeOptions = {},
): Promise<SecretsManagerFake> {
  const store = new Map<string, StoredSecret>();
  const denied = new Set(options.deny ?? []);
  const requests: SecretsManagerFakeRequest[] = [];

  const setSecret = (name: string, value: Record<string, string> | string): void => {
    store.set(name, {
      name,
      // Real ARNs end in a dash and six random characters.
      arnSuffix: store.get(name)?.arnSuffix ?? randomUUID().replace(/-/g, '').slice(0, 6),
      secretString: typeof value === 'string' ? value : JSON.stringify(value),
      versionId: randomUUID(),
      createdDate: Math.floor(Date.now() / 1000),
    });
  };
  for (const [name, value] of Object.entries(secrets)) setSecret(name, value);

  const arnOf = (secret: StoredSecret, region: string): string =>
    `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${secret.name}-${secret.arnSuffix}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const authorization = req.headers.authorization;
    const scope =
      /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$/.exec(
        authorization ?? '',
      );
    const target = req.headers['x-amz-target'];
    const request: SecretsManagerFakeRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      target: typeof target === 'string' ? target : undefined,
      contentType: req.headers['content-type'],
      signed: scope !== null,
      signingRegion: scope?.[1],
      signingService: scope?.[2],
      body,
    };
    requests.push(request);

    const reply = (status: number, payload: Record<string, unknown>): void => {
      res.writeHead(status, { 'content-type': JSON_TYPE, 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(payload));
    };
    const fail = (status: number, type: string, message: string): void =>
      reply(status, { __type: type, message });

    if (request.method !== 'POST' || request.path !== '/') {
      return fail(404, 'UnknownOperationException', `No operation at ${request.method} ${request.path}`);
    }
    if (authorization === undefined) {
      return fail(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    if (scope === null || request.signingService !== 'secretsmanager') {
      return fail(
        400,
        'IncompleteSignatureException',
        'The request signature does not conform to AWS standards.',
      );
    }
    if (request.contentType !== JSON_TYPE) {
      return fail(400, 'SerializationException', `Expected content type ${JSON_TYPE}`);
    }
    if (request.target !== 'secretsmanager.GetSecretValue') {
      return fail(
        400,
        'UnknownOperationException',
        `Operation ${String(request.target)} is not supported by the fake`,
      );
    }
    const secretId = (body as { SecretId?: unknown } | undefined)?.SecretId;
    if (typeof secretId !== 'string' || secretId === '') {
      return fail(400, 'InvalidParameterException', 'SecretId is required.');
    }
    const region = request.signingRegion ?? 'us-east-1';
    const secret = [...store.values()].find((s) => s.name === secretId || arnOf(s, region) === secretId);
    if (denied.has(secretId) || (secret !== undefined && denied.has(secret.name))) {
      return fail(
        400,
        'AccessDeniedException',
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/test is not authorized to perform: secretsmanager:GetSecretValue`,
      );
    }
    if (secret === undefined) {
      return fail(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    reply(200, {
      ARN: arnOf(secret, region),
      Name: secret.name,
      SecretString: secret.secretString,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdDate,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify({ __type: 'InternalServiceError', message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setSecret,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
