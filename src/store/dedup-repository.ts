/**
 * Idempotency keys: every inbound event (Slack retry, X-GitHub-Delivery, GitLab Idempotency-Key, job_key +
 * finished_at) is claimed here with a conditional put before it is processed, so a redelivery is a no-op.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, storeCall } from './store-errors.js';
import { nowSeconds, ttlFromNow } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { TTL_ATTRIBUTE } from './tables.js';

export interface DedupRepository {
  /** True the first time `key` is claimed; false while an unexpired claim exists. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a claim, e.g. when processing failed and a redelivery should be processed again. */
  release(key: string): Promise<void>;
}

export function createDedupRepository({ doc, tableName, clock }: RepositoryOptions): DedupRepository {
  return {
    claim: (key, ttlSeconds) =>
      conditionalWrite('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { key, claimedAt: clock.now(), [TTL_ATTRIBUTE]: ttlFromNow(clock, ttlSeconds) },
            // An expired claim that TTL has not deleted yet (always, on dynalite) counts as absent.
            ConditionExpression: 'attribute_not_exists(#k) OR #ttl < :now',
            ExpressionAttributeNames: { '#k': 'key', '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': nowSeconds(clock) },
          }),
        ),
      ),
    release: async (key) => {
      await storeCall('DeleteItem', tableName, () =>
        doc.send(new DeleteCommand({ TableName: tableName, Key: { key } })),
      );
    },
  };
}
