/**
 * Local table creation: the embedded store (and a DynamoDB Local user) creates the tables of tables.ts here.
 * Production tables are declared in serverless.yml, so no Lambda function runs this (its bundles leave it out,
 * with the SDK's CreateTable, TTL and waiter code: scripts/build-lambda.ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { Logger } from '../logger.js';
import { errorName, storeError } from './store-errors.js';
import { TABLE_DEFINITIONS, TABLE_IDS, type TableNames } from './tables.js';

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
    const index = def.index;
    if (index !== undefined) {
      attributes.push(
        { AttributeName: index.partitionKey, AttributeType: 'S' },
        { AttributeName: index.sortKey, AttributeType: 'N' },
      );
    }
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: keySchema,
          AttributeDefinitions: attributes,
          BillingMode: 'PAY_PER_REQUEST',
          ...(index === undefined
            ? {}
            : {
                GlobalSecondaryIndexes: [
                  {
                    IndexName: index.name,
                    KeySchema: [
                      { AttributeName: index.partitionKey, KeyType: 'HASH' },
                      { AttributeName: index.sortKey, KeyType: 'RANGE' },
                    ],
                    Projection: { ProjectionType: 'ALL' },
                  },
                ],
              }),
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
