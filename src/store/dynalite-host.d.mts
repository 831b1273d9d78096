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
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningDynalite {
  port: number;
  isOpen(): boolean;
  exchange(request: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}

export const HOST_WORKER_DATA: { hikeshiDynaliteHost: true };

export function startDynalite(options: DynaliteOptions): Promise<RunningDynalite>;

/** Messages on one dynalite's port, worker side → caller. */
export type HostMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; error: string }
  | { type: 'response'; id: number; response: WireResponse }
  | { type: 'response'; id: number; error: string }
  | { type: 'closed'; error?: string };
