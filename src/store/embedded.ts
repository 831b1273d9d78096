/**
 * The embedded DynamoDB: dynalite in this process, on loopback, so `npm start` needs no AWS account and no
 * Docker. With a data directory it persists in LevelDB under `<dataDir>/dynamodb`; without, it is in memory.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RequestListener } from './in-process-transport.js';

export interface EmbeddedDynamoOptions {
  /** Undefined keeps everything in memory. */
  dataDir?: string | undefined;
  host?: string;
  /** 0 or undefined picks a free port. */
  port?: number;
}

export interface EmbeddedDynamo {
  endpoint: string;
  /** dynalite's HTTP request listener, for the in-process transport (in-process-transport.ts). */
  requestListener: RequestListener;
  /** False once close() has begun. */
  isOpen(): boolean;
  close(): Promise<void>;
}

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1';
  let path: string | undefined;
  if (options.dataDir !== undefined) {
    path = join(options.dataDir, 'dynamodb');
    await mkdir(path, { recursive: true });
  }
  // Loaded on demand: the Lambda bundles leave dynalite (and its LevelDB binaries) out, and never get here.
  const { default: dynalite } = await import('dynalite');
  // Table state changes are instant: the default 500 ms CREATING phase only slows start-up and tests.
  const server = dynalite({
    ...(path === undefined ? {} : { path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });

  // If listen fails (port taken), LevelDB stays open until the process exits: dynalite only closes its
  // database from a listening server's close(). Start-up treats that as fatal anyway.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    // dynalite's close() stops the server and then closes LevelDB, which releases its LOCK file, so the same
    // directory can be opened again in this process.
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets from an SDK client would otherwise hold close() open until they time out.
      server.closeIdleConnections();
    });
    return closing;
  };
  const [requestListener] = server.listeners('request') as RequestListener[];
  if (requestListener === undefined) throw new Error('dynalite has no request listener');
  return { endpoint, requestListener, isOpen: () => server.listening, close };
}
