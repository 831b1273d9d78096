/**
 * dynalite in a worker thread. In the app's thread, the embedded store's dynalite (validation, expressions,
 * LevelDB's callbacks) was about half of the thread's CPU per new alert, on the same core as the HTTP server and
 * the SDK client (docs/BENCHMARKS.md, B1); in a worker it runs on another core, as a DynamoDB service would.
 * Requests cross on a MessagePort (in-process-transport.ts), which cost the app's thread about a quarter less
 * per call than the SDK's HTTP client to the worker's port. Durability is unchanged: an answer still comes
 * after LevelDB has the write.
 *
 * One worker per process hosts every embedded dynalite of the process (tests start hundreds; a worker costs
 * about 130 ms to start), each with its own MessagePort for its requests. The worker never keeps the process
 * alive by itself: a port is referenced only while it waits for an answer, and the worker stops a second after
 * its last dynalite closed (which closes LevelDB first, so the same directory can be opened again).
 *
 * A worker that dies takes its dynalites with it: each is told (`onBroken`) and closed, and embedded.ts opens a
 * persistent one again, in a new worker.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import {
  HOST_WORKER_DATA,
  type DynaliteOptions,
  type HostMessage,
  type RunningDynalite,
  type WireRequest,
  type WireResponse,
} from './dynalite-host.mjs';

/** How long an idle worker waits for the next dynalite before it stops (tests start and stop stores in turn). */
const IDLE_STOP_MS = 1_000;

interface Host {
  worker: Worker;
  /** Open dynalites, each told when the worker dies under it. */
  instances: Set<(error: Error) => void>;
  idle: NodeJS.Timeout | undefined;
}

let shared: Host | undefined;

function acquire(onFailure: (error: Error) => void): Host {
  let host = shared;
  if (host === undefined) {
    const worker = new Worker(new URL('./dynalite-host.mjs', import.meta.url), {
      workerData: HOST_WORKER_DATA,
      // Plain Node: the entry is JavaScript, and the parent's loaders (tsx) or profilers have no business there.
      execArgv: [],
    });
    worker.unref();
    const created: Host = { worker, instances: new Set(), idle: undefined };
    const fail = (error: Error) => {
      if (shared === created) shared = undefined;
      for (const failed of created.instances) failed(error);
      created.instances.clear();
    };
    worker.on('error', (error) => fail(new Error(`embedded DynamoDB worker failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`embedded DynamoDB worker exited (code ${code})`)));
    shared = host = created;
  }
  clearTimeout(host.idle);
  host.idle = undefined;
  host.instances.add(onFailure);
  return host;
}

function release(host: Host, onFailure: (error: Error) => void): void {
  if (!host.instances.delete(onFailure) || host.instances.size > 0) return;
  host.idle = setTimeout(() => {
    if (host.instances.size > 0) return;
    if (shared === host) shared = undefined;
    void host.worker.terminate();
  }, IDLE_STOP_MS);
  host.idle.unref();
}

/**
 * startDynalite (dynalite-host.mjs), in the shared worker. `onBroken` hears that an open dynalite can no longer
 * serve: its database failed (it answers 500 until closed), or the worker died under it (it is closed, its calls
 * fail at once).
 */
export function startDynaliteInWorker(
  options: DynaliteOptions,
  onBroken?: (error: Error) => void,
): Promise<RunningDynalite> {
  const { port1: port, port2 } = new MessageChannel();
  const pending = new Map<number, { resolve(response: WireResponse): void; reject(error: Error): void }>();
  let nextId = 0;
  let state: 'starting' | 'open' | 'closing' | 'closed' = 'starting';
  let referenced = false;
  let started: { resolve(running: RunningDynalite): void; reject(error: Error): void } | undefined;
  let closed: { resolve(): void; reject(error: Error): void } | undefined;
  let closing: Promise<void> | undefined;

  // Referenced only while something waits for the worker, so an idle store never keeps the process alive.
  const reference = () => {
    const waiting = state === 'starting' || state === 'closing' || pending.size > 0;
    if (waiting === referenced) return;
    referenced = waiting;
    if (waiting) port.ref();
    else port.unref();
  };

  const finish = (error: Error | undefined) => {
    state = 'closed';
    port.close();
    release(host, failed);
    for (const waiter of pending.values()) waiter.reject(error ?? new Error('embedded DynamoDB closed'));
    pending.clear();
    if (error === undefined) closed?.resolve();
    else {
      started?.reject(error);
      closed?.reject(error);
    }
    started = closed = undefined;
  };
  const failed = (error: Error) => {
    if (state === 'closed') return;
    if (state === 'open') onBroken?.(error);
    finish(error);
  };
  const host = acquire(failed);

  const running: RunningDynalite = {
    port: undefined,
    isOpen: () => state === 'open',
    exchange: (request: WireRequest) =>
      new Promise<WireResponse>((resolve, reject) => {
        if (state !== 'open') {
          reject(new Error('embedded DynamoDB is not open'));
          return;
        }
        nextId += 1;
        pending.set(nextId, { resolve, reject });
        reference();
        port.postMessage({ type: 'request', id: nextId, request });
      }),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        if (state === 'closed') {
          resolve();
          return;
        }
        closed = { resolve, reject };
        state = 'closing';
        reference();
        port.postMessage({ type: 'close' });
      });
      return closing;
    },
  };

  port.on('message', (message: HostMessage) => {
    switch (message.type) {
      case 'ready':
        state = 'open';
        running.port = message.port;
        started?.resolve(running);
        started = undefined;
        break;
      case 'broken':
        if (state === 'open') onBroken?.(new Error(message.error));
        break;
      case 'failed':
        finish(new Error(message.error));
        break;
      case 'response': {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if ('error' in message) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.response);
        break;
      }
      case 'closed':
        finish(message.error === undefined ? undefined : new Error(message.error));
        break;
    }
    reference();
  });
  reference();

  return new Promise<RunningDynalite>((resolve, reject) => {
    started = { resolve, reject };
    host.worker.postMessage({ type: 'start', options, port: port2 }, [port2]);
  });
}
