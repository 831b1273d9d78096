/**
 * DynamoDB clients. The real SDK is used in every mode: locally it talks to the embedded dynalite (or DynamoDB
 * Local), in production to AWS. Local table creation is in table-setup.ts.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';

export interface DynamoClientOptions {
  region: string;
  /** Omit for AWS: the SDK then resolves the endpoint itself, honouring AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  maxAttempts?: number;
  /** A request handler to use instead of HTTP (the embedded store's in-process transport). */
  requestHandler?: DynamoDBClientConfig['requestHandler'];
  /**
   * The embedded store of this process: leave out the middlewares that do nothing for it (see
   * EMBEDDED_NO_OP_MIDDLEWARES).
   */
  embedded?: boolean;
}

export interface DynamoClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** Dummy credentials for the embedded store: dynalite accepts any SigV4 signature. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/**
 * Client middlewares with no work to do for the embedded store, yet about a tenth of the app thread's CPU per
 * store call (docs/BENCHMARKS.md, B1): the logger middleware (the client has no logger), the user agent (no
 * one reads it), and Lambda's trace-id header (the embedded store never runs on Lambda).
 */
const EMBEDDED_NO_OP_MIDDLEWARES = [
  'loggerMiddleware',
  'getUserAgentMiddleware',
  'recursionDetectionMiddleware',
];

export function createDynamoClients(options: DynamoClientOptions): DynamoClients {
  const config: DynamoDBClientConfig = { region: options.region };
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  if (options.requestHandler !== undefined) config.requestHandler = options.requestHandler;
  // Without a `signer`, the SDK builds a new SignatureV4 for every call, copying the whole client config into it,
  // and a new signer has an empty signing-key cache, so every call also derives the key again (four HMACs).
  // One signer per client, on the client's own (refreshing) credentials, signs the same; region and service
  // come with each request from the auth scheme, as before.
  let signer: SignatureV4 | undefined;
  config.signer = () =>
    Promise.resolve(
      (signer ??= new SignatureV4({
        credentials: client.config.credentials,
        region: client.config.region,
        service: 'dynamodb',
        sha256: client.config.sha256,
        uriEscapePath: true,
      })),
    );
  const client = new DynamoDBClient(config);
  if (options.embedded === true) {
    for (const name of EMBEDDED_NO_OP_MIDDLEWARES) client.middlewareStack.remove(name);
  }
  // removeUndefinedValues: optional domain fields arrive as `undefined`; without it marshalling throws.
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, doc };
}
