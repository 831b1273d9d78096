/**
 * The embedded DynamoDB: dynalite in this process, so `npm start` needs no AWS account and no Docker. With a
 * data directory it persists in LevelDB under `<dataDir>/dynamodb`; without, it is in memory.
 *
 * It is the app's alone: reached only through `exchange` (in-process-transport.ts), with no port, because
 * dynalite accepts any credentials (issue 17). Tests and benchmarks that need an endpoint for other clients ask
 * for one (`listen`). The store (index.ts) runs it in a worker thread (dynalite-worker.ts), on another core
 * than the app.
 *
 * It gets back on its feet by itself: when its database fails (a full disk, an I/O error; dynalite-host.mjs) or
 * its worker dies, a persistent dynalite is closed and opened again on the same directory, retrying every
 * REOPEN_RETRY_MS until LevelDB opens (on a full disk it cannot: its recovery writes). Calls meanwhile fail at
 * once. An in-memory one cannot come back with its data, and stays down.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { prepareStoreDirectory, storeOpenFailed } from './data-dir.js';
import type { DynaliteOptions, RunningDynalite, WireRequest, WireResponse } from './dynalite-host.mjs';
import { EmbeddedStoreUnavailable } from './store-errors.js';

export type { WireRequest, WireResponse } from './dynalite-host.mjs';

/** Between attempts to open a failed database again: the recovery time once the fault has cleared. */
export const REOPEN_RETRY_MS = 500;

export interface EmbeddedDynamoOptions {
  /** Undefined keeps everything in memory. */
  dataDir?: string | undefined;
  /**
   * Tests and benchmarks only, never the app: also serve DynamoDB's HTTP API on a free loopback port
   * (`endpoint`) for other clients. dynalite accepts any credentials there.
   */
  listen?: boolean;
  /** Run dynalite in a worker thread (dynalite-worker.ts) instead of this one. Default false. */
  worker?: boolean;
  /** Where failures and reopening are told. */
  logger?: Logger;
}

export interface EmbeddedDynamo {
  /** With `listen` only. */
  endpoint: string | undefined;
  /** One request handed to dynalite without a socket (in-process-transport.ts). */
  exchange(request: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}

/** LevelDB's reason without the file it names: `IO error: /x/000003.log: No space left on device` → the last part. */
const reasonOf = (error: Error) => error.message.split(': ').at(-1) ?? error.message;

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const { dataDir, logger } = options;
  let path: string | undefined;
  if (dataDir !== undefined) {
    path = join(dataDir, 'dynamodb');
    await prepareStoreDirectory(dataDir, path);
  }
  // Loaded on demand: the Lambda bundles never start an embedded store.
  const start =
    options.worker === true
      ? (await import('./dynalite-worker.js')).startDynaliteInWorker
      : (await import('./dynalite-host.mjs')).startDynalite;
  const dynaliteOptions: DynaliteOptions = { path, listen: options.listen === true };

  let state: 'open' | 'reopening' | 'closed' = 'open';
  let generation = 0;
  let failure: Error | undefined;
  let reopening: Promise<void> | undefined;
  const open = async (): Promise<RunningDynalite> => {
    const opened = ++generation;
    return start(dynaliteOptions, (error) => broken(opened, error));
  };

  let dynamo: RunningDynalite;
  try {
    dynamo = await open();
  } catch (error) {
    if (dataDir === undefined || path === undefined) throw error;
    throw storeOpenFailed(dataDir, path, error);
  }
  const port = dynamo.port;

  function broken(opened: number, error: Error): void {
    if (opened !== generation || state !== 'open') return;
    if (path === undefined) {
      logger?.error({ err: error }, 'embedded DynamoDB (in memory) failed: it cannot be opened again');
      return;
    }
    state = 'reopening';
    failure = error;
    logger?.error({ err: error }, 'embedded DynamoDB failed: opening its database again');
    reopening = reopen(dynamo);
  }

  async function reopen(failed: RunningDynalite): Promise<void> {
    const started = Date.now();
    // Waits for its pending operations and releases LevelDB's LOCK; a dead worker's database is closed already.
    await failed.close().catch(() => undefined);
    for (let attempt = 1; state === 'reopening'; attempt += 1) {
      try {
        const next = await open();
        if (state !== 'reopening') {
          await next.close();
          return;
        }
        dynamo = next;
        state = 'open';
        failure = undefined;
        logger?.warn({ attempts: attempt, ms: Date.now() - started }, 'embedded DynamoDB reopened');
        return;
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        if (attempt === 1) {
          logger?.warn(
            { err: failure, retryMs: REOPEN_RETRY_MS },
            'embedded DynamoDB cannot reopen yet: retrying',
          );
        }
        await sleep(REOPEN_RETRY_MS, undefined, { ref: false });
      }
    }
  }

  let closing: Promise<void> | undefined;
  return {
    endpoint: port === undefined ? undefined : `http://127.0.0.1:${port}`,
    exchange: (request) => {
      if (state === 'open' && dynamo.isOpen()) return dynamo.exchange(request);
      const message =
        state === 'reopening'
          ? `embedded DynamoDB is reopening after a failure (${reasonOf(failure ?? new Error('unknown'))})`
          : 'embedded DynamoDB is closed';
      return Promise.reject(new EmbeddedStoreUnavailable(message));
    },
    close: () => {
      closing ??= (async () => {
        state = 'closed';
        await reopening;
        await dynamo.close();
      })();
      return closing;
    },
  };
}
