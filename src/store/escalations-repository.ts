/**
 * The `Escalations` table (issue 19), single-table by partition key `pk`:
 * - `CHAIN#<incident id>`  the incident's escalation-policy chain (src/domain/policy-chain.ts);
 * - `LINE#<user id>`       the person's phone line: pages waiting for a call, the call in progress;
 * - `START#<incident id>`  the marker that an incident needs a chain, written before the incident and taken off
 *                          the due index once the chain exists (the tick's sweep starts those their opener never
 *                          did: src/services/policy-sweep.ts).
 * Items with work due carry `dueShard = "due"` and `dueAt` (ms), the keys of the sparse `due` index, so a tick
 * reads only what is due with one Query, however many incidents are open. Every write is conditional on the
 * item's `version` (dynalite has no transactions): a put names the version it replaces.
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../domain/zod.js';
import type { PhoneLine } from '../domain/phone-line.js';
import type { PolicyChain } from '../domain/policy-chain.js';
import type { DueWork, EscalationStore } from '../services/ports/escalation-store.js';
import { getLiveItem, ttlFromNowDays } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { conditionalWrite, storeCall } from './store-errors.js';
import { DUE_INDEX, TTL_ATTRIBUTE } from './tables.js';

const DUE = 'due';
const chainKey = (incidentId: string) => `CHAIN#${incidentId}`;
const lineKey = (userId: string) => `LINE#${userId}`;
const startKey = (incidentId: string) => `START#${incidentId}`;

const chainSchema = z.object({
  incidentId: z.string(),
  policy: z.string(),
  episode: z.number(),
  pass: z.int(),
  step: z.int(),
  phase: z.enum(['pending', 'notifying', 'waiting', 'ended']),
  dueAt: z.optional(z.number()),
  stepStartedAt: z.optional(z.number()),
  notified: z._default(z.array(z.string()), []),
  version: z.int(),
  endedAt: z.optional(z.number()),
  endReason: z.optional(z.enum(['acknowledged', 'resolved', 'exhausted', 'replaced'])),
  endedBy: z.optional(z.string()),
});

const lineSchema = z.object({
  userId: z.string(),
  state: z.enum(['idle', 'calling', 'ringing']),
  pending: z._default(z.record(z.string(), z.number()), {}),
  call: z.optional(
    z.object({
      incidents: z.array(z.string()),
      token: z.string(),
      startedAt: z.number(),
      tries: z.int(),
      contactId: z.optional(z.string()),
      flat: z.optional(z.boolean()),
    }),
  ),
  dueAt: z.optional(z.number()),
  version: z.int(),
});

/** Drops the keys whose value is undefined (the document client refuses them). */
function defined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function toChain(item: Record<string, unknown>): PolicyChain | undefined {
  const parsed = chainSchema.safeParse(item);
  return parsed.success ? (defined(parsed.data) as unknown as PolicyChain) : undefined;
}

function toLine(item: Record<string, unknown>): PhoneLine | undefined {
  const parsed = lineSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const { call, ...rest } = parsed.data;
  const line = defined(rest) as unknown as PhoneLine;
  return call === undefined
    ? line
    : { ...line, call: defined(call) as unknown as PhoneLine['call'] & object };
}

export function createEscalationsRepository(
  options: RepositoryOptions & {
    /** How long a chain or line is kept after its last change (HISTORY_TTL_DAYS). */
    keepDays: number;
  },
): EscalationStore {
  const { doc, tableName, clock } = options;

  const get = (pk: string) => getLiveItem(doc, tableName, pk, clock);

  function put(pk: string, kind: string, value: object, dueAt: number | undefined, expected: number) {
    const item = {
      ...defined(value),
      pk,
      kind,
      ...(dueAt === undefined ? {} : { dueShard: DUE, dueAt }),
      [TTL_ATTRIBUTE]: ttlFromNowDays(clock, options.keepDays),
    };
    return conditionalWrite('PutItem', tableName, () =>
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ...(expected === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expected } }),
        }),
      ),
    );
  }

  return {
    async chain(incidentId) {
      const item = await get(chainKey(incidentId));
      return item === undefined ? undefined : toChain(item);
    },
    saveChain: (chain, expected) => put(chainKey(chain.incidentId), 'chain', chain, chain.dueAt, expected),
    claimNotification: (incidentId, version, key) =>
      conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: chainKey(incidentId) },
            UpdateExpression: 'SET notified = list_append(notified, :keys)',
            ConditionExpression: 'version = :v AND NOT contains(notified, :key)',
            ExpressionAttributeValues: { ':v': version, ':key': key, ':keys': [key] },
          }),
        ),
      ),

    async line(userId) {
      const item = await get(lineKey(userId));
      return item === undefined ? undefined : toLine(item);
    },
    saveLine: (line, expected) => put(lineKey(line.userId), 'line', line, line.dueAt, expected),
    async page(userId, incidentId, now) {
      const pk = lineKey(userId);
      // The line's first page creates it; afterwards this changes nothing.
      await conditionalWrite('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk,
              kind: 'line',
              userId,
              state: 'idle',
              pending: {},
              version: 0,
              [TTL_ATTRIBUTE]: ttlFromNowDays(clock, options.keepDays),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      // The version moves with every page, so a dialer's put on the version it read cannot drop this one.
      await storeCall('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk },
            UpdateExpression:
              'SET pending.#incident = if_not_exists(pending.#incident, :now) ADD version :one',
            ExpressionAttributeNames: { '#incident': incidentId },
            ExpressionAttributeValues: { ':now': now, ':one': 1 },
          }),
        ),
      );
      // An idle line calls at the next tick; a busy one keeps its timeout and calls once it is free.
      await conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk },
            UpdateExpression: 'SET dueShard = :due, dueAt = :now',
            ConditionExpression: '#state = :idle',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':due': DUE, ':now': now, ':idle': 'idle' },
          }),
        ),
      );
    },
    async withdraw(userId, incidentId) {
      await conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: lineKey(userId) },
            UpdateExpression: 'REMOVE pending.#incident ADD version :one',
            ConditionExpression: 'attribute_exists(pending.#incident)',
            ExpressionAttributeNames: { '#incident': incidentId },
            ExpressionAttributeValues: { ':one': 1 },
          }),
        ),
      );
    },

    async expectChain(incidentId, dueAt) {
      // A plain put: the store's write batcher folds those of one turn into one BatchWriteItem.
      await storeCall('PutItem', tableName, () =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: startKey(incidentId),
              kind: 'start',
              incidentId,
              dueShard: DUE,
              dueAt,
              [TTL_ATTRIBUTE]: ttlFromNowDays(clock, options.keepDays),
            },
          }),
        ),
      );
    },
    async chainStarted(incidentId) {
      // Off the due index rather than deleted (the item expires with the others): the functions that open
      // incidents already hold UpdateItem on this table, and no DeleteItem. No marker: nothing is written.
      await conditionalWrite('UpdateItem', tableName, () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: startKey(incidentId) },
            UpdateExpression: 'REMOVE dueShard, dueAt',
            ConditionExpression: 'attribute_exists(pk)',
          }),
        ),
      );
    },

    async due(now) {
      const work: DueWork[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await storeCall('Query', tableName, () =>
          doc.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: DUE_INDEX.name,
              KeyConditionExpression: '#shard = :due AND #at <= :now',
              ExpressionAttributeNames: { '#shard': DUE_INDEX.partitionKey, '#at': DUE_INDEX.sortKey },
              ExpressionAttributeValues: { ':due': DUE, ':now': now },
              ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
            }),
          ),
        );
        for (const item of page.Items ?? []) {
          if (item['kind'] === 'chain') {
            const chain = toChain(item);
            if (chain !== undefined) work.push({ kind: 'chain', chain });
          } else if (item['kind'] === 'line') {
            const line = toLine(item);
            if (line !== undefined) work.push({ kind: 'line', line });
          } else if (item['kind'] === 'start' && typeof item['incidentId'] === 'string') {
            work.push({ kind: 'start', incidentId: item['incidentId'] });
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return work;
    },
  };
}
