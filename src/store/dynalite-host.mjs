/**
 * dynalite without a socket: `exchange` hands one request straight to dynalite's request listener as an
 * in-memory request, and answers what the listener answered (status, headers, body; the same bytes it would
 * have written to a socket). dynalite accepts any credentials, so a port on loopback would give every local
 * user every table (issue 17): it listens only when asked (`listen`, for tests and benchmarks whose other
 * clients need an endpoint), never in the app.
 *
 * Two things dynalite does not do, done here:
 * - Open the database before answering. Its LevelDB opens in the background, and a failed open (the directory
 *   locked by another process, read-only, full) surfaced as an exception at the first request; here start-up
 *   waits for the open and fails with LevelDB's reason.
 * - Survive a failed database operation. dynalite throws any error that is not a DynamoDB error from a
 *   callback (`if (err) throw err` in its request handler), which killed the thread hosting it. Here such an
 *   error answers 500 InternalServerError and is reported once to `onBroken`: after a failed write LevelDB's
 *   log is in an indeterminate state (writes acknowledged after it can be lost at the next open), so the
 *   database has to be closed and opened again before it serves more (embedded.ts does).
 * dynalite exposes neither its database nor a way to close it without a listening server, so its database is
 * taken from `dynalite/db`'s `create` while dynalite builds it (`createDynalite`).
 *
 * Loaded as a module (`startDynalite`) or as the entry of the embedded store's worker thread (embedded.ts), which
 * hosts any number of dynalites, each reached through its own MessagePort. Plain JavaScript on purpose: a
 * worker's entry is loaded by Node itself, which must work the same under node, tsx and vitest.
 * Types: dynalite-host.d.mts.
 */
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { nextTick } from 'node:process';
import { parentPort, workerData } from 'node:worker_threads';

/** `workerData` of a worker started on this file. */
export const HOST_WORKER_DATA = { hikeshiDynaliteHost: true };

/** What DynamoDB answers for a failure on its side; the SDK retries it like any 5xx. */
const INTERNAL_SERVER_ERROR = {
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message: 'Internal server error',
};

export async function startDynalite({ path, listen = false }, onBroken = () => undefined) {
  const { server, store } = createDynalite(path);
  let broken = false;
  guardDatabase(store.db, (error) => {
    if (broken) return;
    broken = true;
    onBroken(error);
  });
  try {
    await store.db.open();
  } catch (error) {
    // LEVEL_DATABASE_NOT_OPEN carries LevelDB's own reason ("IO error: lock …/LOCK: already held by process").
    throw new Error(error?.cause?.message ?? error?.message ?? String(error));
  }
  const [listener] = server.listeners('request');
  if (listener === undefined) throw new Error('dynalite has no request listener');
  const http = listen ? await listenOnLoopback(listener) : undefined;
  let closing;
  return {
    port: http?.address().port,
    isOpen: () => closing === undefined,
    exchange: (request) => exchange(listener, request),
    // Waits for the database's pending operations, then closes LevelDB, which releases its LOCK file, so the
    // same directory can be opened again.
    close: () => {
      closing ??= (async () => {
        if (http !== undefined) {
          const stopped = new Promise((resolve) => http.close(() => resolve()));
          // Keep-alive sockets from HTTP clients would otherwise hold close() open until they time out.
          http.closeIdleConnections();
          await stopped;
        }
        await store.lifecycleManager.gracefulClose();
      })();
      return closing;
    },
  };
}

/** `dynalite(options)` and the database it built (its `store`). */
function createDynalite(path) {
  // Loaded on demand: the Lambda bundles leave dynalite (and its LevelDB binaries) out, and never get here.
  const require = createRequire(import.meta.url);
  const dynalite = require('dynalite');
  const db = require('dynalite/db');
  const create = db.create;
  let store;
  db.create = (options) => (store = create(options));
  let server;
  try {
    // Table state changes are instant: the default 500 ms CREATING phase only slows start-up and tests.
    server = dynalite({
      ...(path === undefined ? {} : { path }),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
  } finally {
    db.create = create;
  }
  if (store?.db === undefined || store.lifecycleManager === undefined) {
    throw new Error(
      'dynalite did not build its database through dynalite/db: this dynalite version is not supported',
    );
  }
  return { server, store };
}

/**
 * Turns every failed operation of dynalite's LevelDB `db` into a DynamoDB 500 (see the file comment), reporting it
 * to `broken`. Not-found and undecodable values are answers dynalite handles itself, and pass unchanged.
 */
function guardDatabase(db, broken) {
  const fail = (error) => {
    if (typeof error !== 'object' || error === null || error.statusCode !== undefined) return error;
    if (error.name === 'NotFoundError' || error.code === 'LEVEL_DECODE_ERROR') return error;
    broken(error);
    return Object.assign(error, { statusCode: 500, body: INTERNAL_SERVER_ERROR });
  };
  for (const method of ['get', 'put', 'del', 'batch']) {
    const original = db[method];
    db[method] = function guarded(...args) {
      const callback = args.at(-1);
      if (typeof callback !== 'function') {
        return original.apply(this, args).catch((error) => Promise.reject(fail(error)));
      }
      args[args.length - 1] = (error, ...results) => callback(fail(error), ...results);
      return original.apply(this, args);
    };
  }
  for (const method of ['createKeyStream', 'createValueStream']) {
    const original = db[method];
    db[method] = function guarded(...args) {
      const stream = original.apply(this, args);
      // First in line, so dynalite's own error handler sees the error as a DynamoDB 500.
      stream.prependListener('error', fail);
      return stream;
    };
  }
}

function listenOnLoopback(listener) {
  const http = createServer(listener);
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      http.off('error', reject);
      resolve(http);
    });
  });
}

function exchange(listener, request) {
  return new Promise((resolve, reject) => {
    const req = Object.assign(new EventEmitter(), {
      method: request.method,
      url: request.url,
      headers: request.headers,
    });
    const headers = {};
    const res = {
      statusCode: 200,
      contentType: undefined,
      setHeader(name, value) {
        headers[name.toLowerCase()] = String(value);
      },
      end(data) {
        resolve({ statusCode: res.statusCode, headers, body: data ?? '' });
      },
    };
    try {
      listener(req, res);
    } catch (error) {
      reject(error);
      return;
    }
    const { body } = request;
    const bytes =
      typeof body === 'string'
        ? Buffer.from(body, 'utf8')
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // dynalite listens for the body like it would on a socket: after the listener is attached.
    nextTick(() => {
      if (bytes.length > 0) req.emit('data', bytes);
      req.emit('end');
    });
  });
}

/**
 * The worker: `{ type: 'start', options, port }` on the parent port starts one dynalite; everything about it
 * then goes over `port`: `ready` (or `failed`), `request` → `response` by id, `broken` (its database failed),
 * `close` → `closed`.
 */
function host({ options, port }) {
  startDynalite(options, (error) => port.postMessage({ type: 'broken', error: describe(error) })).then(
    (dynamo) => {
      port.on('message', (message) => {
        if (message.type === 'request') {
          dynamo.exchange(message.request).then(
            (response) => port.postMessage({ type: 'response', id: message.id, response }),
            (error) => port.postMessage({ type: 'response', id: message.id, error: describe(error) }),
          );
        } else if (message.type === 'close') {
          dynamo.close().then(
            () => port.postMessage({ type: 'closed' }),
            (error) => port.postMessage({ type: 'closed', error: describe(error) }),
          );
        }
      });
      port.postMessage({ type: 'ready', port: dynamo.port });
    },
    (error) => {
      port.postMessage({ type: 'failed', error: describe(error) });
      port.close();
    },
  );
}

const describe = (error) => (error instanceof Error ? error.message : String(error));

if (parentPort !== null && workerData?.hikeshiDynaliteHost === true) {
  parentPort.on('message', (message) => {
    if (message.type === 'start') host(message);
  });
}
