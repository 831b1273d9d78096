/**
 * The `FP#<fingerprint>` pointers of the incidents table: which incident an alert fingerprint lands on. A pointer
 * is created conditionally, so two concurrent alerts with one fingerprint agree on one incident (no transactions
 * here: dynalite has no TransactWriteItems). It stays when the incident is resolved, so the next alert can reopen
 * it (src/domain/reopen.ts); a new incident takes it over only by naming the one it replaces (`replacing`), or
 * from an opener that died between its claim and its create (ORPHANED_CLAIM_MS).
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../domain/clock.js';
import { AppError, ErrorCode } from '../errors.js';
import { nowSeconds, ttlFromNow } from './expiry.js';
import { conditionalWrite } from './store-errors.js';
import { TTL_ATTRIBUTE } from './tables.js';

/**
 * A fingerprint claimed this long ago whose incident was never stored is taken over: its opener died between the
 * claim and the create (kill -9 mid-storm), and every alert of that fingerprint would otherwise fail for good.
 * Far longer than a create takes, so a live opener is never overtaken.
 */
export const ORPHANED_CLAIM_MS = 30_000;

export const fingerprintKey = (fp: string) => `FP#${fp}`;

export interface FingerprintPointers<R> {
  claimFingerprint(
    fingerprint: string,
    incidentId: string,
    options?: { replacing?: string; ttlSeconds?: number },
  ): Promise<string>;
  findByFingerprint(fingerprint: string): Promise<R | undefined>;
  releaseFingerprint(fingerprint: string, incidentId: string): Promise<boolean>;
}

export function createFingerprintPointers<R>(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  /** A live item by its key (expired ones are undefined). */
  getItem(pk: string): Promise<Record<string, unknown> | undefined>;
  /** The stored incident. */
  get(id: string): Promise<R | undefined>;
}): FingerprintPointers<R> {
  const { doc, tableName, clock, getItem, get } = options;
  return {
    claimFingerprint: async (fingerprint, incidentId, claim = {}) => {
      const pk = fingerprintKey(fingerprint);
      const item = {
        pk,
        entity: 'fingerprint',
        fingerprint,
        incidentId,
        claimedAt: clock.now(),
        ...(claim.ttlSeconds === undefined ? {} : { [TTL_ATTRIBUTE]: ttlFromNow(clock, claim.ttlSeconds) }),
      };
      const put = (condition: string, values: Record<string, unknown>, names?: Record<string, string>) =>
        conditionalWrite('PutItem', tableName, () =>
          doc.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ConditionExpression: condition,
              ExpressionAttributeValues: values,
              ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
            }),
          ),
        );
      // The incident this one replaces (resolved, outside the reopen window): one conditional write decides.
      if (claim.replacing !== undefined) {
        if (await put('incidentId = :holder', { ':holder': claim.replacing })) return incidentId;
      }
      // Each round either writes the pointer or learns who holds it; a pointer vanishing under us retries.
      for (let round = 0; round < 5; round += 1) {
        const created = await put(
          'attribute_not_exists(pk) OR #ttl < :now',
          { ':now': nowSeconds(clock) },
          { '#ttl': TTL_ATTRIBUTE },
        );
        if (created) return incidentId;
        const pointer = await getItem(pk);
        const holder = pointer?.['incidentId'];
        if (typeof holder !== 'string') continue; // released or expired meanwhile: try again
        const claimedAt = pointer?.['claimedAt'];
        const orphaned = typeof claimedAt !== 'number' || clock.now() - claimedAt >= ORPHANED_CLAIM_MS;
        if (holder === incidentId || !orphaned || (await get(holder)) !== undefined) return holder;
        // Claimed long ago and never created: its opener died between the claim and the create. Take over, unless
        // someone else just did.
        if (await put('incidentId = :holder', { ':holder': holder })) return incidentId;
      }
      throw new AppError(ErrorCode.StoreUnavailable, `Could not settle fingerprint ${fingerprint}`, {
        details: { table: tableName, fingerprint },
      });
    },

    findByFingerprint: async (fingerprint) => {
      const holder = (await getItem(fingerprintKey(fingerprint)))?.['incidentId'];
      return typeof holder === 'string' ? get(holder) : undefined;
    },

    releaseFingerprint: (fingerprint, incidentId) =>
      conditionalWrite('DeleteItem', tableName, () =>
        doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { pk: fingerprintKey(fingerprint) },
            ConditionExpression: 'incidentId = :id',
            ExpressionAttributeValues: { ':id': incidentId },
          }),
        ),
      ),
  };
}
