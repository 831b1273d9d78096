/**
 * Item expiry. Items that expire carry `ttl` (epoch seconds), the attribute DynamoDB's TTL deletes on. AWS
 * deletes expired items only eventually (typically within days), and dynalite never does, so:
 * - every repository treats an item whose ttl has passed as absent when reading, and its conditional writes
 *   accept an expired item as "not there" (`attribute_not_exists(k) OR #ttl < :now`);
 * - the embedded mode runs `startExpirySweeper` to actually delete them.
 * "Expired" means `ttl < now` in whole seconds, the same comparison the conditions use.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../logger.js';
import { scanItems } from './scan.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import { TABLE_IDS, TABLE_DEFINITIONS, TTL_ATTRIBUTE, keyAttributesOf, type TableNames } from './tables.js';

export function nowSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}

/** The `ttl` value for an item that should live `seconds` more seconds. */
export function ttlFromNow(clock: Clock, seconds: number): number {
  return nowSeconds(clock) + Math.ceil(seconds);
}

export function ttlFromNowDays(clock: Clock, days: number): number {
  return ttlFromNow(clock, days * 86_400);
}

export function isExpired(item: Record<string, unknown> | undefined, clock: Clock): boolean {
  const ttl = item?.[TTL_ATTRIBUTE];
  return typeof ttl === 'number' && ttl < nowSeconds(clock);
}

/** The item, or undefined when it is missing or expired. */
export function live<T extends Record<string, unknown>>(item: T | undefined, clock: Clock): T | undefined {
  return item === undefined || isExpired(item, clock) ? undefined : item;
}

/** The item under `pk`, read consistently, or undefined when absent or expired (TTL deletes late, or never). */
export async function getLiveItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  clock: Clock,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await storeCall('GetItem', tableName, () =>
    doc.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true })),
  );
  return live(Item, clock);
}

/**
 * Deletes every expired item of one table and returns how many went. Each delete is conditional on the item
 * still being expired, so an item refreshed between the scan and the delete survives.
 */
export async function sweepExpired(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keyAttributes: string[],
  clock: Clock,
): Promise<number> {
  const now = nowSeconds(clock);
  const names: Record<string, string> = { '#ttl': TTL_ATTRIBUTE };
  keyAttributes.forEach((attr, i) => (names[`#k${i}`] = attr));
  let deleted = 0;
  const expiredKeys = scanItems(doc, {
    TableName: tableName,
    FilterExpression: '#ttl < :now',
    ProjectionExpression: keyAttributes.map((_, i) => `#k${i}`).join(', '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':now': now },
  });
  for await (const key of expiredKeys) {
    const removed = await conditionalWrite('DeleteItem', tableName, () =>
      doc.send(
        new DeleteCommand({
          TableName: tableName,
          Key: key,
          ConditionExpression: '#ttl < :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': now },
        }),
      ),
    );
    if (removed) deleted += 1;
  }
  return deleted;
}

export interface ExpirySweeperOptions {
  doc: DynamoDBDocumentClient;
  tables: TableNames;
  clock: Clock;
  intervalMs: number;
  logger: Logger;
}

export interface ExpirySweeper {
  /** Sweeps every TTL table once now; resolves to the number of deleted items. */
  sweepNow(): Promise<number>;
  stop(): void;
}

/** Periodic sweep for stores without native TTL (dynalite). The timer is unref'd: it never keeps Node alive. */
export function startExpirySweeper(options: ExpirySweeperOptions): ExpirySweeper {
  const { doc, tables, clock, logger } = options;
  let running: Promise<number> | undefined;

  const sweepAll = async (): Promise<number> => {
    let total = 0;
    for (const id of TABLE_IDS) {
      if (TABLE_DEFINITIONS[id].ttlAttribute === undefined) continue;
      total += await sweepExpired(doc, tables[id], keyAttributesOf(id), clock);
    }
    if (total > 0) logger.debug({ deleted: total }, 'expired items swept');
    return total;
  };
  // Never two sweeps at once: a slow sweep and the next tick share one run.
  const sweepNow = (): Promise<number> => {
    running ??= sweepAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    sweepNow().catch((error: unknown) => logger.warn({ err: error }, 'expiry sweep failed'));
  }, options.intervalMs);
  timer.unref();

  return {
    sweepNow,
    stop: () => clearInterval(timer),
  };
}
