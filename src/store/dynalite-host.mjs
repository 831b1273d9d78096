/**
 * dynalite behind two doors: its HTTP port on loopback (for any DynamoDB client), and `exchange`, which hands
 * one request straight to dynalite's request listener as an in-memory request, no socket, and answers what the
 * listener answered (status, headers, body; the same bytes it would have written to a socket).
 *
 * Loaded as a module (`startDynalite`) or as the entry of the embedded store's worker thread (embedded.ts), which
 * hosts any number of dynalite servers, each reached through its own MessagePort. Plain JavaScript on purpose:
 * a worker's entry is loaded by Node itself, which must work the same under node, tsx and vitest.
 * Types: dynalite-host.d.mts.
 */
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { nextTick } from 'node:process';
import { parentPort, workerData } from 'node:worker_threads';

/** `workerData` of a worker started on this file. */
export const HOST_WORKER_DATA = { hikeshiDynaliteHost: true };

export async function startDynalite({ path, host, port }) {
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
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const [listener] = server.listeners('request');
  if (listener === undefined) throw new Error('dynalite has no request listener');
  let closing;
  return {
    port: server.address().port,
    isOpen: () => server.listening,
    exchange: (request) => exchange(listener, request),
    // dynalite's close() stops the server and then closes LevelDB (after its pending operations), which
    // releases the LOCK file, so the same directory can be opened again.
    close: () => {
      closing ??= new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from HTTP clients would otherwise hold close() open until they time out.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
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
 * then goes over `port`: `ready` (or `failed`), `request` → `response` by id, `close` → `closed`.
 */
function host({ options, port }) {
  startDynalite(options).then(
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
