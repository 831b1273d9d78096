/**
 * Call status (seed table CallStatus, key `statusId` = the incident/error id): where an escalation's phone
 * calls stand. Transitions are guarded by the `state` attribute, so a late Connect callback for an old state
 * cannot overwrite a newer one. Items expire (`ttl`) once an escalation is long finished.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, storeCall } from './store-errors.js';
import { live, nowSeconds, ttlFromNow } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { TTL_ATTRIBUTE } from './tables.js';
import type { CallStatusItem, CallStatusRepository } from '../services/ports/call-stores.js';
import { addChanges } from './update-expression.js';

export type { CallStatusItem, CallStatusRepository, NewCallStatus } from '../services/ports/call-stores.js';

/** Default lifetime of a call-status item: a day is far longer than any escalation runs. */
export const CALL_STATUS_TTL_SECONDS = 86_400;

// Attributes `update` must not touch: the key, and the ttl/updatedAt the repository owns.
const RESERVED = new Set(['statusId', TTL_ATTRIBUTE, 'updatedAt']);

export function createCallStatusRepository({
  doc,
  tableName,
  clock,
}: RepositoryOptions): CallStatusRepository {
  return {
    get: async (statusId) => {
      const { Item } = await storeCall('GetItem', tableName, () =>
        doc.send(new GetCommand({ TableName: tableName, Key: { statusId }, ConsistentRead: true })),
      );
      return live(Item as CallStatusItem | undefined, clock);
    },

    create: (item, ttlSeconds = CALL_STATUS_TTL_SECONDS) =>
      conditionalWrite('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...item, updatedAt: clock.now(), [TTL_ATTRIBUTE]: ttlFromNow(clock, ttlSeconds) },
            ConditionExpression: 'attribute_not_exists(statusId) OR #ttl < :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': nowSeconds(clock) },
          }),
        ),
      ),

    update: (statusId, changes, options = {}) => {
      const names: Record<string, string> = { '#ttl': TTL_ATTRIBUTE, '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':now': nowSeconds(clock), ':nowMs': clock.now() };
      const sets = ['#updatedAt = :nowMs'];
      const removes: string[] = [];
      addChanges({ names, values, sets, removes }, changes, RESERVED);
      let condition = 'attribute_exists(statusId) AND #ttl >= :now';
      const expected = options.expectedState;
      if (expected !== undefined) {
        const states: readonly string[] = typeof expected === 'string' ? [expected] : expected;
        // "state is one of nothing" can never hold; `IN ()` would be a syntax error.
        if (states.length === 0) return Promise.resolve(false);
        names['#state'] = 'state';
        states.forEach((s, i) => (values[`:s${i}`] = s));
        condition += ` AND #state IN (${states.map((_, i) => `:s${i}`).join(', ')})`;
      }
      Object.entries(options.expected ?? {}).forEach(([attr, value], i) => {
        names[`#e${i}`] = attr;
        values[`:e${i}`] = value;
        condition += ` AND #e${i} = :e${i}`;
      });
      const expression = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
      return conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { statusId },
            UpdateExpression: expression,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },

    delete: async (statusId) => {
      await storeCall('DeleteItem', tableName, () =>
        doc.send(new DeleteCommand({ TableName: tableName, Key: { statusId } })),
      );
    },
  };
}
