/**
 * DynamoDB clients and local table creation. The real SDK is used in every mode: locally it talks to the
 * embedded dynalite (or DynamoDB Local) over HTTP, in production to AWS.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClientConfig,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Logger } from '../logger.js';
import { errorName, storeError } from './store-errors.js';
import { TABLE_DEFINITIONS, TABLE_IDS, type TableNames } from './tables.js';

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

export interface EnsureTablesResult {
  /** Tables that did not exist and were created. */
  created: string[];
  /** False when the endpoint does not implement UpdateTimeToLive (dynalite): expiry relies on the sweeper. */
  ttlSupported: boolean;
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return false;
    throw storeError('DescribeTable', name, error);
  }
}

/**
 * Creates the missing tables (on-demand billing) and enables TTL where the definition asks for it. For local
 * stores only: production tables are declared in serverless.yml.
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: TableNames,
  options: { logger?: Logger } = {},
): Promise<EnsureTablesResult> {
  const { logger } = options;
  const created: string[] = [];
  let ttlSupported = true;

  const pending: string[] = [];
  for (const id of TABLE_IDS) {
    const def = TABLE_DEFINITIONS[id];
    const name = names[id];
    if (await tableExists(client, name)) continue;
    const keySchema: KeySchemaElement[] = [{ AttributeName: def.partitionKey, KeyType: 'HASH' }];
    const attributes: AttributeDefinition[] = [{ AttributeName: def.partitionKey, AttributeType: 'S' }];
    if (def.sortKey !== undefined) {
      keySchema.push({ AttributeName: def.sortKey, KeyType: 'RANGE' });
      attributes.push({ AttributeName: def.sortKey, AttributeType: 'S' });
    }
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: keySchema,
          AttributeDefinitions: attributes,
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      created.push(name);
      logger?.info({ table: name }, 'created table');
    } catch (error) {
      // Another process created it between our DescribeTable and CreateTable: fine.
      if (errorName(error) !== 'ResourceInUseException') throw storeError('CreateTable', name, error);
    }
    pending.push(name);
  }
  await Promise.all(pending.map((name) => waitActive(client, name)));

  for (const id of TABLE_IDS) {
    const attribute = TABLE_DEFINITIONS[id].ttlAttribute;
    if (attribute !== undefined && ttlSupported) {
      ttlSupported = await enableTtl(client, names[id], attribute, logger);
    }
  }
  return { created, ttlSupported };
}

/**
 * Waits for a new table to be ACTIVE. dynalite (createTableMs:0) flips to ACTIVE a tick after CreateTable
 * answers, so a few quick looks usually settle it; otherwise the SDK waiter polls, once a second rather than
 * its default 20 s minDelay, for at most 5 s.
 */
async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let look = 0; look < 5; look += 1) {
    const described = await client.send(new DescribeTableCommand({ TableName: name })).catch(() => undefined);
    if (described?.Table?.TableStatus === 'ACTIVE') return;
    await delay(10);
  }
  try {
    await waitUntilTableExists({ client, minDelay: 1, maxDelay: 1, maxWaitTime: 5 }, { TableName: name });
  } catch (error) {
    throw storeError('waitUntilTableExists', name, error);
  }
}

async function enableTtl(
  client: DynamoDBClient,
  name: string,
  attribute: string,
  logger: Logger | undefined,
): Promise<boolean> {
  try {
    // Real DynamoDB rejects enabling TTL twice (ValidationException), so look first.
    const described = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const status = described.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === 'ENABLED' || status === 'ENABLING') return true;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    // dynalite answers UnknownOperationException: expiry then comes from the sweeper and read-side checks.
    if (errorName(error) === 'UnknownOperationException') {
      logger?.debug({ table: name }, 'endpoint has no TTL support; relying on the expiry sweeper');
      return false;
    }
    throw storeError('UpdateTimeToLive', name, error);
  }
}
