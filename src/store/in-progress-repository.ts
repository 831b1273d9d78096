/**
 * In progress (seed table InProgress, key `errorId`): "someone is already on this error". The first claim
 * wins with a conditional put; while the claim lives, new alerts for the same error start no new calls.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, storeCall } from './store-errors.js';
import { live, nowSeconds, ttlFromNow } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { TTL_ATTRIBUTE } from './tables.js';
import type { InProgressItem, InProgressRepository } from '../services/ports/call-stores.js';

export type { InProgressClaim, InProgressItem, InProgressRepository } from '../services/ports/call-stores.js';

export function createInProgressRepository({
  doc,
  tableName,
  clock,
}: RepositoryOptions): InProgressRepository {
  return {
    claim: (errorId, claim, ttlSeconds) =>
      conditionalWrite('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...claim,
              errorId,
              claimedAt: clock.now(),
              ...(ttlSeconds === undefined ? {} : { [TTL_ATTRIBUTE]: ttlFromNow(clock, ttlSeconds) }),
            },
            ConditionExpression: 'attribute_not_exists(errorId) OR #ttl < :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': nowSeconds(clock) },
          }),
        ),
      ),

    get: async (errorId) => {
      const { Item } = await storeCall('GetItem', tableName, () =>
        doc.send(new GetCommand({ TableName: tableName, Key: { errorId }, ConsistentRead: true })),
      );
      return live(Item as InProgressItem | undefined, clock);
    },

    release: (errorId, options = {}) =>
      conditionalWrite('DeleteItem', tableName, () =>
        doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { errorId },
            ...(options.responderId === undefined
              ? {}
              : {
                  ConditionExpression: 'responderId = :responder',
                  ExpressionAttributeValues: { ':responder': options.responderId },
                }),
          }),
        ),
      ),
  };
}
