/**
 * Reads coalesced: every GetItem the repositories send in the same turn of the event loop goes out as one
 * BatchGetItem (up to 100 keys), and each caller gets its own item back. On the embedded store a batch of ten
 * keys costs about as much as two single reads (docs/BENCHMARKS.md, B1), so under load — fifty alerts arriving
 * together, each looking up its fingerprint — reads stop dominating. A read still sees every write that
 * finished before it was sent (ConsistentRead is kept), so nothing changes for the callers but the cost.
 * Used for the embedded store; gets with a projection, or on tables it does not know, go out as they are.
 */
import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTickQueues, withSend } from './tick-queues.js';

type Item = Record<string, unknown>;

interface Waiter {
  key: Item;
  consistent: boolean;
  resolve(item: Item | undefined): void;
  reject(error: unknown): void;
}

const MAX_KEYS = 100;

/** Stable text for a key, so a returned item can be matched to the caller that asked for it. */
const keyText = (item: Item, attributes: readonly string[]) =>
  JSON.stringify(attributes.map((attribute) => item[attribute]));

/**
 * Returns `doc` with `send` intercepting GetCommand. `keyAttributes`: table name → its key attribute names.
 */
export function withBatchedGets(
  doc: DynamoDBDocumentClient,
  keyAttributes: ReadonlyMap<string, readonly string[]>,
): DynamoDBDocumentClient {
  async function flushTable(table: string, waiters: Waiter[]): Promise<void> {
    const attributes = keyAttributes.get(table) ?? [];
    const unique = new Map<string, Item>();
    for (const w of waiters) unique.set(keyText(w.key, attributes), w.key);
    const found = new Map<string, Item>();
    let pending = [...unique.values()];
    // BatchGetItem may answer part of the keys (UnprocessedKeys); ask again for the rest.
    for (let round = 0; pending.length > 0 && round < 5; round += 1) {
      const result = await doc.send(
        new BatchGetCommand({
          RequestItems: { [table]: { Keys: pending, ConsistentRead: waiters.some((w) => w.consistent) } },
        }),
      );
      for (const item of result.Responses?.[table] ?? []) found.set(keyText(item, attributes), item);
      pending = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
    }
    if (pending.length > 0)
      throw new Error(`BatchGetItem on ${table} left ${pending.length} keys unprocessed`);
    for (const w of waiters) w.resolve(found.get(keyText(w.key, attributes)));
  }

  const queues = createTickQueues<Waiter>((table, waiters) => {
    for (let i = 0; i < waiters.length; i += MAX_KEYS) {
      const chunk = waiters.slice(i, i + MAX_KEYS);
      flushTable(table, chunk).catch((error: unknown) => {
        for (const w of chunk) w.reject(error);
      });
    }
  });

  const send = doc.send.bind(doc);
  const batched = (command: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (!(command instanceof GetCommand))
      return (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    const input = command.input;
    const table = input.TableName ?? '';
    if (
      !keyAttributes.has(table) ||
      input.ProjectionExpression !== undefined ||
      input.AttributesToGet !== undefined
    ) {
      return send(command);
    }
    return new Promise((resolve, reject) => {
      queues.add(table, {
        key: input.Key ?? {},
        consistent: input.ConsistentRead === true,
        resolve: (item) => resolve({ $metadata: {}, ...(item === undefined ? {} : { Item: item }) }),
        reject,
      });
    });
  };
  return withSend(doc, batched);
}
