/**
 * The `Oncall` table (issue 18), single-table by partition key `pk`:
 * - `OVERRIDES#<schedule>`  every override of one schedule as one list, with a `version`: adding one is a
 *                           read, an overlap check and a write conditional on the version read, so two people
 *                           adding overlapping overrides at once cannot both win (dynalite has no transactions,
 *                           and an item per override could not be checked against its neighbours atomically);
 * - `SWAP#<id>`             a swap request; its answer is a write conditional on `status = pending` (ttl);
 * - `STEP#<key>`            a once-only handoff step (notice, user group, DM): a lease, then `doneAt` (ttl).
 * Overrides that ended more than OVERRIDE_HISTORY_DAYS ago are dropped on the next save (the iCal feed shows the
 * recent past; the item stays far below DynamoDB's 400 KB).
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod.js';
import { AppError, ErrorCode } from '../errors.js';
import type {
  OncallStore,
  ScheduleOverrides,
  StoredOverride,
  SwapRequest,
} from '../services/ports/oncall-store.js';
import { live, nowSeconds, ttlFromNowDays } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import { TTL_ATTRIBUTE } from './tables.js';

export const OVERRIDE_HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;
/** Swap requests and step claims are kept this long after they stop mattering. */
const KEEP_DAYS = 14;

const overrideSchema = z.object({
  id: z.string(),
  schedule: z.string(),
  user: z.string(),
  start: z.number(),
  end: z.number(),
  createdBy: z.string(),
  createdAt: z.number(),
  swapId: z.optional(z.string()),
});
const overridesItem = z.object({
  overrides: z._default(z.array(overrideSchema), []),
  version: z._default(z.int(), 0),
});
const swapItem = z.object({
  id: z.string(),
  schedule: z.string(),
  requester: z.string(),
  asked: z.string(),
  start: z.number(),
  end: z.number(),
  status: z.enum(['pending', 'accepted', 'declined']),
  createdAt: z.number(),
  answeredAt: z.optional(z.number()),
  message: z.optional(z.object({ channel: z.string(), ts: z.string() })),
});

const overridesKey = (schedule: string) => ({ pk: `OVERRIDES#${schedule}` });
const swapKey = (id: string) => ({ pk: `SWAP#${id}` });
const stepKey = (key: string) => ({ pk: `STEP#${key}` });

function malformed(what: string, issues: readonly { path: PropertyKey[]; message: string }[]): AppError {
  // A hand-edited item must not silently drop someone's override: fail loudly instead.
  return new AppError(ErrorCode.StoreUnavailable, `${what} is malformed`, {
    details: { issues: issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`) },
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function createOncallRepository({ doc, tableName, clock }: RepositoryOptions): OncallStore {
  const get = (Key: Record<string, string>) =>
    storeCall('GetItem', tableName, () =>
      doc.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true })),
    );

  return {
    async overrides(schedule): Promise<ScheduleOverrides> {
      const { Item } = await get(overridesKey(schedule));
      if (Item === undefined) return { overrides: [], version: 0 };
      const parsed = overridesItem.safeParse(Item);
      if (!parsed.success) throw malformed(`Overrides of schedule ${schedule}`, parsed.error.issues);
      return {
        overrides: parsed.data.overrides.map((o) => withoutUndefined(o) as StoredOverride),
        version: parsed.data.version,
      };
    },

    saveOverrides(schedule, overrides, expectedVersion) {
      const keepAfter = clock.now() - OVERRIDE_HISTORY_DAYS * DAY_MS;
      const kept = overrides
        .filter((o) => o.end > keepAfter)
        .map((o) => withoutUndefined({ ...o }))
        .sort((a, b) => a.start - b.start);
      return conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: overridesKey(schedule),
            UpdateExpression: 'SET overrides = :list, updatedAt = :now ADD #version :one',
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: {
              ':list': kept,
              ':now': clock.now(),
              ':one': 1,
              ...(expectedVersion === 0 ? {} : { ':expected': expectedVersion }),
            },
          }),
        ),
      );
    },

    createSwap(swap) {
      return conditionalWrite('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...swapKey(swap.id),
              ...withoutUndefined({ ...swap }),
              [TTL_ATTRIBUTE]: Math.ceil(swap.end / 1000) + KEEP_DAYS * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async swap(id) {
      const { Item } = await get(swapKey(id));
      const item = live(Item, clock);
      if (item === undefined) return undefined;
      const parsed = swapItem.safeParse(item);
      if (!parsed.success) throw malformed(`Swap request ${id}`, parsed.error.issues);
      return withoutUndefined(parsed.data) as SwapRequest;
    },

    answerSwap(id, status, at) {
      return conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: swapKey(id),
            UpdateExpression: 'SET #status = :status, answeredAt = :at',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':at': at, ':pending': 'pending' },
          }),
        ),
      );
    },

    reopenSwap(id) {
      return conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: swapKey(id),
            UpdateExpression: 'SET #status = :pending REMOVE answeredAt',
            ConditionExpression: '#status = :accepted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'pending', ':accepted': 'accepted' },
          }),
        ),
      );
    },

    async setSwapMessage(id, message) {
      await conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: swapKey(id),
            UpdateExpression: 'SET message = :message',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':message': message },
          }),
        ),
      );
    },

    claimStep(key, leaseMs) {
      return conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: stepKey(key),
            UpdateExpression: 'SET leaseUntil = :until, #ttl = :ttl',
            // A step past its ttl (never deleted on dynalite) counts as never done.
            ConditionExpression:
              '(attribute_not_exists(doneAt) OR #ttl < :nowSeconds) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR #ttl < :nowSeconds)',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':until': clock.now() + leaseMs,
              ':now': clock.now(),
              ':nowSeconds': nowSeconds(clock),
              ':ttl': ttlFromNowDays(clock, KEEP_DAYS),
            },
          }),
        ),
      );
    },

    async completeStep(key) {
      await storeCall('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: stepKey(key),
            UpdateExpression: 'SET doneAt = :now, #ttl = :ttl REMOVE leaseUntil',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': clock.now(), ':ttl': ttlFromNowDays(clock, KEEP_DAYS) },
          }),
        ),
      );
    },

    async releaseStep(key) {
      await conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: stepKey(key),
            UpdateExpression: 'REMOVE leaseUntil',
            ConditionExpression: 'attribute_not_exists(doneAt)',
          }),
        ),
      );
    },

    async stepDone(key) {
      const { Item } = await get(stepKey(key));
      return live(Item, clock)?.['doneAt'] !== undefined;
    },
  };
}
