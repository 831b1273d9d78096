/**
 * Call history (seed table CallHistory): the seed's single-key layout, one item per `errorId` whose
 * `attempts` list grows with every call attempt. Each append refreshes the item's `ttl` (HISTORY_TTL_DAYS).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AppError, ErrorCode } from '../errors.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import { live, nowSeconds, ttlFromNowDays } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { TTL_ATTRIBUTE } from './tables.js';
import type { CallHistoryEntry, CallHistoryRepository } from '../services/ports/call-stores.js';

export type { CallHistoryEntry, CallHistoryRepository } from '../services/ports/call-stores.js';

const ATTEMPTS = 'attempts';

export function createCallHistoryRepository<E extends CallHistoryEntry = CallHistoryEntry>({
  doc,
  tableName,
  clock,
}: RepositoryOptions): CallHistoryRepository<E> {
  const write = (errorId: string, entry: E, ttlDays: number, restart: boolean) =>
    conditionalWrite('UpdateItem', tableName, () =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { errorId },
          // An expired, not yet deleted item must not leak its old attempts into a new history, so the
          // append only applies to a live (or missing) item, and `restart` replaces an expired list.
          UpdateExpression: restart
            ? 'SET #a = :entry, #ttl = :ttl, updatedAt = :nowMs'
            : 'SET #a = list_append(if_not_exists(#a, :empty), :entry), #ttl = :ttl, updatedAt = :nowMs',
          ConditionExpression: restart ? '#ttl < :now' : 'attribute_not_exists(#ttl) OR #ttl >= :now',
          ExpressionAttributeNames: { '#a': ATTEMPTS, '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':entry': [entry],
            ':ttl': ttlFromNowDays(clock, ttlDays),
            ':now': nowSeconds(clock),
            ':nowMs': clock.now(),
            ...(restart ? {} : { ':empty': [] }),
          },
        }),
      ),
    );

  return {
    append: async (errorId, entry, ttlDays) => {
      // Each failed condition means the item changed between live and expired under us; two rounds settle it.
      for (let round = 0; round < 3; round += 1) {
        if (await write(errorId, entry, ttlDays, false)) return;
        if (await write(errorId, entry, ttlDays, true)) return;
      }
      throw new AppError(ErrorCode.StoreUnavailable, `Could not append call history for ${errorId}`, {
        details: { table: tableName, errorId },
      });
    },
    list: async (errorId) => {
      const { Item } = await storeCall('GetItem', tableName, () =>
        doc.send(new GetCommand({ TableName: tableName, Key: { errorId }, ConsistentRead: true })),
      );
      const item = live(Item, clock);
      const attempts = item?.[ATTEMPTS];
      return Array.isArray(attempts) ? (attempts as E[]) : [];
    },
  };
}
