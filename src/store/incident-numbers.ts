/**
 * The human incident number sequence (`COUNTER#incident`, atomic ADD): 1, 2, 3…, unique under concurrent calls
 * and across processes. One write at a time per process: calls made while a write is in flight (or in the same
 * turn of the event loop) share the next one: the counter moves by their number, and each caller takes one
 * number of that contiguous range (fifty alerts opening fifty incidents cost a few counter writes, not fifty).
 * Writes to one item are serialised by the store anyway, so one per call capped the rate at which incidents
 * could open (B1). Nothing is skipped: every number handed out belongs to a caller.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError, ErrorCode } from '../errors.js';
import { storeCall } from './store-errors.js';

interface Waiter {
  resolve(n: number): void;
  reject(error: unknown): void;
}

export function createNumberDrawer(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  key: string;
}): () => Promise<number> {
  const { doc, tableName, key } = options;
  let waiting: Waiter[] = [];
  let drawing = false;

  async function add(count: number): Promise<number> {
    const result = await storeCall('UpdateItem', tableName, () =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: key },
          UpdateExpression: 'SET entity = :counter ADD #value :n',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':n': count, ':counter': 'counter' },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const value = result.Attributes?.['value'];
    if (typeof value !== 'number') {
      throw new AppError(ErrorCode.StoreUnavailable, 'Incident counter returned no number', {
        details: { table: tableName },
      });
    }
    return value;
  }

  function draw(): void {
    const batch = waiting;
    waiting = [];
    drawing = true;
    add(batch.length)
      .then(
        (last) => batch.forEach((w, i) => w.resolve(last - batch.length + 1 + i)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        drawing = false;
        if (waiting.length > 0) draw();
      });
  }

  return () =>
    new Promise<number>((resolve, reject) => {
      if (waiting.length === 0 && !drawing) setImmediate(draw);
      waiting.push({ resolve, reject });
    });
}
