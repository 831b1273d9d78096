/**
 * The embedded DynamoDB: dynalite on loopback, so `npm start` needs no AWS account and no Docker. With a data
 * directory it persists in LevelDB under `<dataDir>/dynamodb`; without, it is in memory.
 *
 * The store (index.ts) runs it in a worker thread (dynalite-worker.ts), on another core than the app; it is
 * reached over its HTTP port, or without a socket through `exchange` (in-process-transport.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynaliteOptions, RunningDynalite, WireRequest, WireResponse } from './dynalite-host.mjs';

export type { WireRequest, WireResponse } from './dynalite-host.mjs';

export interface EmbeddedDynamoOptions {
  /** Undefined keeps everything in memory. */
  dataDir?: string | undefined;
  host?: string;
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Run dynalite in a worker thread (dynalite-worker.ts) instead of this one. Default false. */
  worker?: boolean;
  /** Worker only: the worker died under this dynalite (its calls then fail at once). */
  onFailure?: (error: Error) => void;
}

export interface EmbeddedDynamo {
  endpoint: string;
  /** One request handed to dynalite without a socket (in-process-transport.ts). */
  exchange(request: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1';
  let path: string | undefined;
  if (options.dataDir !== undefined) {
    path = join(options.dataDir, 'dynamodb');
    await mkdir(path, { recursive: true });
  }
  // Both loaded on demand: the Lambda bundles never start an embedded store.
  const dynaliteOptions: DynaliteOptions = { path, host, port: options.port ?? 0 };
  const dynamo: RunningDynalite =
    options.worker === true
      ? await (await import('./dynalite-worker.js')).startDynaliteInWorker(dynaliteOptions, options.onFailure)
      : await (await import('./dynalite-host.mjs')).startDynalite(dynaliteOptions);
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${dynamo.port}`,
    exchange: (request) =>
      dynamo.isOpen()
        ? dynamo.exchange(request)
        : // A closed dynalite never answers (its database is gone): fail like a refused socket would.
          Promise.reject(Object.assign(new Error('embedded DynamoDB is closed'), { code: 'ECONNREFUSED' })),
    close: dynamo.close,
  };
}
