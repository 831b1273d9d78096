/**
 * The task ledger (src/services/ports/task-ledger.ts) on the Dedup table: one item per task, key `task:<id>`,
 * with `state` (running | posted | done), a lease (`leaseUntil`, epoch ms) while a worker holds it, and where the
 * Slack message went. Every transition is one conditional UpdateItem, so two workers never both start a task.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PostedRef, TaskBegin, TaskLedger } from '../services/ports/task-ledger.js';
import { nowSeconds, ttlFromNowDays } from './expiry.js';
import type { RepositoryOptions } from './repository-options.js';
import { isConditionFailed, storeCall } from './store-errors.js';
import { TTL_ATTRIBUTE } from './tables.js';

export interface TaskLedgerOptions extends RepositoryOptions {
  /** How long a worker holds a task before another may take it over (a crashed worker). Default 120 s. */
  leaseMs?: number;
  /** How long a task's record is kept, so a late redelivery is still recognised. Default 30 days. */
  retentionDays?: number;
}

const NAMES = { '#k': 'key', '#state': 'state', '#lease': 'leaseUntil', '#ttl': TTL_ATTRIBUTE };

function postedOf(item: Record<string, unknown> | undefined): PostedRef | undefined {
  const channel = item?.['slackChannel'];
  const ts = item?.['slackTs'];
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : undefined;
}

export function createTaskLedgerRepository(options: TaskLedgerOptions): TaskLedger {
  const { doc, tableName, clock } = options;
  const leaseMs = options.leaseMs ?? 120_000;
  const retentionDays = options.retentionDays ?? 30;
  const key = (taskId: string) => ({ key: `task:${taskId}` });

  const update = (
    operation: string,
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ) => storeCall(operation, tableName, () => doc.send(new UpdateCommand({ TableName: tableName, ...input })));

  return {
    async begin(taskId) {
      const now = clock.now();
      try {
        const result = await update('UpdateItem', {
          Key: key(taskId),
          UpdateExpression: 'SET #lease = :lease, #ttl = :ttl, #state = if_not_exists(#state, :running)',
          // New, expired, or abandoned / crashed (lease over) and not done.
          ConditionExpression:
            'attribute_not_exists(#k) OR #ttl < :nowS OR (#state <> :done AND #lease < :now)',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':lease': now + leaseMs,
            ':ttl': ttlFromNowDays(clock, retentionDays),
            ':running': 'running',
            ':done': 'done',
            ':now': now,
            ':nowS': nowSeconds(clock),
          },
          ReturnValues: 'ALL_NEW',
        });
        const item = result.Attributes;
        if (item?.['state'] === 'done') return { state: 'done' };
        const posted = postedOf(item);
        return posted === undefined ? { state: 'started' } : { state: 'started', posted };
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
      const current = await storeCall('GetItem', tableName, () =>
        doc.send(new GetCommand({ TableName: tableName, Key: key(taskId), ConsistentRead: true })),
      );
      return current.Item?.['state'] === 'done' ? { state: 'done' } : ({ state: 'busy' } satisfies TaskBegin);
    },

    async markPosted(taskId, posted) {
      await update('UpdateItem', {
        Key: key(taskId),
        UpdateExpression: 'SET #state = :posted, slackChannel = :channel, slackTs = :ts',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':posted': 'posted', ':channel': posted.channel, ':ts': posted.ts },
      });
    },

    async complete(taskId) {
      await update('UpdateItem', {
        Key: key(taskId),
        UpdateExpression: 'SET #state = :done, #ttl = :ttl REMOVE #lease',
        ExpressionAttributeNames: { '#state': 'state', '#ttl': TTL_ATTRIBUTE, '#lease': 'leaseUntil' },
        ExpressionAttributeValues: { ':done': 'done', ':ttl': ttlFromNowDays(clock, retentionDays) },
      });
    },

    async abandon(taskId) {
      try {
        await update('UpdateItem', {
          Key: key(taskId),
          UpdateExpression: 'SET #lease = :zero',
          ConditionExpression: 'attribute_exists(#k) AND #state <> :done',
          ExpressionAttributeNames: { '#k': 'key', '#state': 'state', '#lease': 'leaseUntil' },
          ExpressionAttributeValues: { ':zero': 0, ':done': 'done' },
        });
      } catch (error) {
        // Nothing to give up (already done, or gone): fine.
        if (!isConditionFailed(error)) throw error;
      }
    },
  };
}
