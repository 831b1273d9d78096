/**
 * What the read and write batchers (get-batcher.ts, write-batcher.ts) share: requests queue per table and are
 * flushed together once the current turn of the event loop is over (setImmediate), so the calls one burst of
 * requests makes become a few batch calls; and the document client that routes `send` through the batcher.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TickQueues<W> {
  /** Queues `waiter` for `table`; the first one of a turn schedules the flush. */
  add(table: string, waiter: W): void;
}

export function createTickQueues<W>(flushTable: (table: string, waiters: W[]) => void): TickQueues<W> {
  const queues = new Map<string, W[]>();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const tables = [...queues.entries()];
    queues.clear();
    for (const [table, waiters] of tables) flushTable(table, waiters);
  };
  return {
    add(table, waiter) {
      const waiters = queues.get(table) ?? [];
      waiters.push(waiter);
      queues.set(table, waiters);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}

/** `doc` with its `send` replaced by `send`; every other method is the original client's. */
export function withSend(
  doc: DynamoDBDocumentClient,
  send: (command: unknown, ...rest: unknown[]) => Promise<unknown>,
): DynamoDBDocumentClient {
  return Object.assign(Object.create(doc) as DynamoDBDocumentClient, { send });
}
