/**
 * `incidents.addFolds`: many repeats of an open incident's alert written as ONE UpdateItem, with no read and
 * no expected version (the fold buffer's write, src/services/fold-buffer.ts):
 *   ADD count :n, version :1   SET lastSeenAt = :last [, message, details]
 *   IF the incident exists, is open, and its lastSeenAt is earlier than :last.
 * `count` is added atomically, so batches from several processes add up exactly. `version` moves too, so a
 * versioned put prepared before this write (acknowledge, watch, a severity raise) fails and re-reads instead of
 * overwriting the count. DynamoDB has no `max()`: when the stored lastSeenAt is already later, the write is
 * retried without moving it. When the incident is closed or gone, nothing is written and the answer is
 * undefined: the caller sends those repeats through the ordinary path (a new incident).
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed, storeCall } from './store-errors.js';

export interface FoldWrite {
  count: number;
  lastSeenAt: string;
  message?: string;
  details?: Record<string, unknown>;
}

export function createAddFolds<R>(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  key: (id: string) => string;
  closedStatuses: ReadonlySet<string>;
  toRecord(item: Record<string, unknown>): R;
}): (id: string, write: FoldWrite) => Promise<R | undefined> {
  const { doc, tableName, key, closedStatuses } = options;
  const closed = [...closedStatuses];

  const update = async (id: string, write: FoldWrite, moveLastSeen: boolean) => {
    const names: Record<string, string> = { '#count': 'count', '#version': 'version', '#status': 'status' };
    const values: Record<string, unknown> = { ':n': write.count, ':one': 1 };
    const sets: string[] = [];
    closed.forEach((status, i) => (values[`:closed${i}`] = status));
    const open = `(attribute_not_exists(#status) OR NOT (#status IN (${closed.map((_, i) => `:closed${i}`).join(', ')})))`;
    let condition = `attribute_exists(pk) AND ${open}`;
    if (moveLastSeen) {
      names['#last'] = 'lastSeenAt';
      values[':last'] = write.lastSeenAt;
      sets.push('#last = :last');
      condition += ' AND (attribute_not_exists(#last) OR #last < :last)';
    }
    for (const field of ['message', 'details'] as const) {
      if (write[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = write[field];
      sets.push(`#${field} = :${field}`);
    }
    const result = await storeCall('UpdateItem', tableName, () =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: key(id) },
          UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}ADD #count :n, #version :one`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return options.toRecord(result.Attributes ?? {});
  };

  const isOpenItem = async (id: string): Promise<boolean> => {
    const { Item } = await storeCall('GetItem', tableName, () =>
      doc.send(new GetCommand({ TableName: tableName, Key: { pk: key(id) }, ConsistentRead: true })),
    );
    const status = Item?.['status'];
    return Item !== undefined && !(typeof status === 'string' && closedStatuses.has(status));
  };

  return async (id, write) => {
    let moveLastSeen = true;
    // Each failed condition is explained by one read: closed (stop), or a later lastSeenAt (write without it).
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        return await update(id, write, moveLastSeen);
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        if (!(await isOpenItem(id))) return undefined;
        moveLastSeen = false;
      }
    }
    return undefined;
  };
}
