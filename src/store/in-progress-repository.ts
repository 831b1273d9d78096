/**
 * In progress (seed table InProgress, key `errorId`): "someone is already on this error". The first claim
 * wins with a conditional put; while the claim lives, new alerts for the same error start no new calls.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, storeCall } from './store-errors.js';
import { live, nowSeconds, ttlFromNow } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { TTL_ATTRIBUTE } from './tables.js';

export type InProgressClaim = { responderId: string } & Record<string, unknown>;

export interface InProgressItem {
  errorId: string;
  responderId: string;
  claimedAt: number;
  /** Absent when the claim was made without a lifetime. */
  ttl?: number;
  [attribute: string]: unknown;
}

export interface InProgressRepository {
  /** True when this call took the claim; false while another live claim exists. No ttl = until released. */
  claim(errorId: string, claim: InProgressClaim, ttlSeconds?: number): Promise<boolean>;
  get(errorId: string): Promise<InProgressItem | undefined>;
  /**
   * Drops the claim. With `responderId`, only if that responder holds it (false otherwise), so a stale
   * release cannot drop someone else's newer claim.
   */
  release(errorId: string, options?: { responderId?: string }): Promise<boolean>;
}

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
