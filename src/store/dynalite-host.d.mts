// Types for dynalite-host.mjs (plain JavaScript, see there why).

/** An HTTP request as dynalite's request listener reads it. */
export interface WireRequest {
  method: string;
  /** Path and query. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface WireResponse {
  statusCode: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface DynaliteOptions {
  /** LevelDB directory; undefined keeps everything in memory. */
  path: string | undefined;
  /** Also serve DynamoDB's HTTP API on a free loopback port (tests and benchmarks only: any credentials pass). */
  listen?: boolean;
}

export interface RunningDynalite {
  /** The loopback port, with `listen` only. */
  port: number | undefined;
  isOpen(): boolean;
  exchange(request: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}

export const HOST_WORKER_DATA: { hikeshiDynaliteHost: true };

/**
 * Resolves once the database is open. `onBroken` hears, once, of the first failed database operation (answered
 * 500): the database must then be closed and opened again.
 */
export function startDynalite(
  options: DynaliteOptions,
  onBroken?: (error: Error) => void,
): Promise<RunningDynalite>;

/** Messages on one dynalite's port, worker side → caller. */
export type HostMessage =
  | { type: 'ready'; port: number | undefined }
  | { type: 'broken'; error: string }
  | { type: 'failed'; error: string }
  | { type: 'response'; id: number; response: WireResponse }
  | { type: 'response'; id: number; error: string }
  | { type: 'closed'; error?: string };
