/**
 * Idempotency keys: every inbound event (Slack retry, X-GitHub-Delivery, GitLab Idempotency-Key, job_key +
 * finished_at) is claimed here with a conditional put before it is processed, so a redelivery is a no-op.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, storeCall } from './store-errors.js';
import { nowSeconds, ttlFromNow } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { TTL_ATTRIBUTE } from './tables.js';
import type { DeliveryClaims } from '../services/ports/delivery-claims.js';

/** The delivery-claims port, kept in the dedup table. */
export type DedupRepository = DeliveryClaims;

/**
 * DynamoDB refuses a partition key over 2048 bytes (a 500 for the sender, retried forever). Keys come from
 * senders (delivery ids, message ids), so a long one is stored as its SHA-256: still one key per event.
 */
export const DEDUP_KEY_MAX_BYTES = 1024;

export function storedDedupKey(key: string): string {
  return Buffer.byteLength(key, 'utf8') <= DEDUP_KEY_MAX_BYTES
    ? key
    : `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

export function createDedupRepository({ doc, tableName, clock }: RepositoryOptions): DedupRepository {
  return {
    claim: (claimed, ttlSeconds) => {
      const key = storedDedupKey(claimed);
      return conditionalWrite('PutItem', tableName, () =>
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
      );
    },
    release: async (key) => {
      await storeCall('DeleteItem', tableName, () =>
        doc.send(new DeleteCommand({ TableName: tableName, Key: { key: storedDedupKey(key) } })),
      );
    },
  };
}
