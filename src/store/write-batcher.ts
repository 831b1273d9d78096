/**
 * Unconditional writes coalesced: every plain PutItem (no condition, no return values) the repositories send in
 * the same turn of the event loop goes out in one BatchWriteItem per table (25 items at most), and each caller's
 * promise settles when its own item is written — durable when it resolves, exactly as a single PutItem. Job
 * reports write a history row and the latest run this way; fifty reports arriving together cost two batch
 * writes instead of a hundred puts (docs/BENCHMARKS.md, B1). Conditional writes are never batched: they decide
 * things (claims, versions) and must answer one by one. Two puts of one key in a turn go out in order, in
 * separate batches, as BatchWriteItem refuses duplicate keys.
 */
import { BatchWriteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTickQueues, withSend } from './tick-queues.js';

type Item = Record<string, unknown>;

interface Waiter {
  item: Item;
  resolve(): void;
  reject(error: unknown): void;
}

const MAX_ITEMS = 25;

const keyText = (item: Item, attributes: readonly string[]) =>
  JSON.stringify(attributes.map((attribute) => item[attribute]));

/** Splits a table's queue into batches of distinct keys, in arrival order. */
function batchesOf(waiters: Waiter[], attributes: readonly string[]): Waiter[][] {
  const batches: { keys: Set<string>; waiters: Waiter[] }[] = [];
  for (const w of waiters) {
    const key = keyText(w.item, attributes);
    // After the last batch holding this key, so a later put of one key is never written before an earlier one.
    let from = 0;
    batches.forEach((b, i) => {
      if (b.keys.has(key)) from = i + 1;
    });
    let target = batches.slice(from).find((b) => b.waiters.length < MAX_ITEMS);
    if (!target) {
      target = { keys: new Set(), waiters: [] };
      batches.push(target);
    }
    target.keys.add(key);
    target.waiters.push(w);
  }
  return batches.map((b) => b.waiters);
}

export function withBatchedPuts(
  doc: DynamoDBDocumentClient,
  keyAttributes: ReadonlyMap<string, readonly string[]>,
): DynamoDBDocumentClient {
  async function write(table: string, batch: Waiter[]): Promise<void> {
    let pending = batch.map((w) => ({ PutRequest: { Item: w.item } }));
    // BatchWriteItem may leave items unprocessed (throttling on DynamoDB); send those again.
    for (let round = 0; pending.length > 0 && round < 5; round += 1) {
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    }
    if (pending.length > 0)
      throw new Error(`BatchWriteItem on ${table} left ${pending.length} items unwritten`);
  }

  async function flushTable(table: string, waiters: Waiter[]): Promise<void> {
    for (const batch of batchesOf(waiters, keyAttributes.get(table) ?? [])) {
      try {
        await write(table, batch);
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  }

  const queues = createTickQueues<Waiter>((table, waiters) => void flushTable(table, waiters));

  const send = doc.send.bind(doc);
  const batched = (command: unknown, ...rest: unknown[]): Promise<unknown> => {
    const plain =
      command instanceof PutCommand &&
      command.input.ConditionExpression === undefined &&
      command.input.Expected === undefined &&
      (command.input.ReturnValues === undefined || command.input.ReturnValues === 'NONE') &&
      keyAttributes.has(command.input.TableName ?? '');
    if (!plain) return (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    const table = command.input.TableName ?? '';
    return new Promise((resolve, reject) => {
      queues.add(table, {
        item: command.input.Item ?? {},
        resolve: () => resolve({ $metadata: {} }),
        reject,
      });
    });
  };
  return withSend(doc, batched);
}
