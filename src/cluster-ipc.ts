/**
 * The messages between a cluster's primary and its HTTP workers (src/cluster-primary.ts, src/cluster-worker.ts),
 * over node:cluster's IPC channel with `serialization: 'advanced'` (structured clone: the store's request and
 * response bodies travel as bytes). Requests carry an id and are answered once; the rest are one-way.
 */
import type { PublishForward } from './integrations/forwarding-publisher.js';
import type { FamilySnapshot } from './integrations/prometheus-metrics.js';
import type { WireRequest, WireResponse } from './store/index.js';

/** Worker → primary. */
export type WorkerMessage =
  | { kind: 'store'; id: number; request: WireRequest }
  | { kind: 'publish'; message: PublishForward }
  | { kind: 'metrics'; id: number }
  | { kind: 'reloaded' }
  | { kind: 'listening'; port: number }
  | { kind: 'answer'; id: number; value?: unknown; error?: string };

/** Primary → worker. */
export type PrimaryMessage =
  | { kind: 'answer'; id: number; value?: unknown; error?: string }
  | { kind: 'snapshot'; id: number }
  | { kind: 'reload' }
  | { kind: 'shutdown'; deadline: number };

export type StoreAnswer = WireResponse;
export type MetricsAnswer = string;
export type SnapshotAnswer = FamilySnapshot[];

/** Messages are trusted (they come from our own processes), but a stray one is ignored, not crashed on. */
export function isMessage<T extends { kind: string }>(value: unknown): value is T {
  return (
    typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/**
 * Requests over one channel, each answered by a message `{ kind: 'answer', id }`. `timeoutMs` bounds a request
 * whose other side died or hangs; `failAll` rejects what waits when the channel closes.
 */
export function createRequester(send: (message: { kind: string; id: number }) => boolean) {
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; timer?: NodeJS.Timeout }
  >();
  return {
    request<T>(message: { kind: string } & Record<string, unknown>, timeoutMs?: number): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const entry: {
          resolve: (value: unknown) => void;
          reject: (error: Error) => void;
          timer?: NodeJS.Timeout;
        } = { resolve: (value) => resolve(value as T), reject };
        if (timeoutMs !== undefined) {
          entry.timer = setTimeout(() => {
            waiting.delete(id);
            reject(new Error(`no answer to ${message.kind} within ${timeoutMs} ms`));
          }, timeoutMs);
        }
        waiting.set(id, entry);
        if (!send({ ...message, id })) {
          waiting.delete(id);
          clearTimeout(entry.timer);
          reject(new Error(`cannot send ${message.kind}: the cluster channel is closed`));
        }
      });
    },
    /** An `answer` message: settles its request (unknown ids, already timed out, are ignored). */
    answer(message: { id: number; value?: unknown; error?: string }): void {
      const entry = waiting.get(message.id);
      if (!entry) return;
      waiting.delete(message.id);
      clearTimeout(entry.timer);
      if (message.error !== undefined) entry.reject(new Error(message.error));
      else entry.resolve(message.value);
    },
    failAll(reason: string): void {
      for (const [id, entry] of waiting) {
        waiting.delete(id);
        clearTimeout(entry.timer);
        entry.reject(new Error(reason));
      }
    },
  };
}

/** Answers one request: its value, or the error's message (errors do not survive the channel as objects). */
export function answerWith(
  send: (message: { kind: 'answer'; id: number; value?: unknown; error?: string }) => void,
  id: number,
  work: Promise<unknown>,
): void {
  work.then(
    (value) => send({ kind: 'answer', id, value }),
    (error: unknown) =>
      send({ kind: 'answer', id, error: error instanceof Error ? error.message : String(error) }),
  );
}
