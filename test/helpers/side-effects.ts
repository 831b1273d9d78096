/**
 * What a request changed, for the "a rejected request has no side effect" properties (issue 11): store writes
 * (counted by a middleware on the app's own DynamoDB client, so every repository is covered), the content of
 * every table (a Scan of each, when a write needs looking at), Slack calls that post something, and tasks
 * published to the queue.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestHikeshi } from './hikeshi.js';

const WRITE_COMMAND = /^(Put|Update|Delete|BatchWrite|TransactWrite)(Item)?Command$/;
let probes = 0;

export interface SideEffects {
  /** Write commands sent to the store so far (conditional writes that failed included). */
  writes(): number;
  /** Every item of every table, canonical, so two snapshots compare with `===`. */
  snapshot(): Promise<string>;
  /** Items per table. */
  counts(): Promise<Record<string, number>>;
  /** Slack calls that changed what people see (chat.postMessage, chat.update, views.*, …). */
  slackPosts(): number;
  /** Tasks the queue confirmed. */
  queued(): number;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Set) return canonical([...(value as Set<unknown>)].map(String).sort());
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function watchSideEffects(h: TestHikeshi): SideEffects {
  let writes = 0;
  probes += 1;
  h.store.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITE_COMMAND.test(context.commandName ?? '')) writes += 1;
      return next(args);
    },
    { step: 'initialize', name: `sideEffectsProbe${probes}` },
  );

  async function scan(table: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await h.store.doc.send(
        new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  const tables = () => [...new Set(Object.values(h.store.tables))].sort();

  return {
    writes: () => writes,
    async snapshot() {
      const parts: string[] = [];
      for (const table of tables()) {
        const items = (await scan(table)).map(canonical).sort();
        parts.push(`${table}:${items.join('\n')}`);
      }
      return parts.join('\n\n');
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const table of tables()) out[table] = (await scan(table)).length;
      return out;
    },
    slackPosts: () => h.emulator.workspace.postCalls().length,
    queued: () => h.app.metrics.value('hikeshi_queue_published_total', { result: 'ok' }),
  };
}
