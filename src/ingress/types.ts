/**
 * Runtime-neutral HTTP: the same routes serve a node:http server locally and API Gateway events on
 * Lambda. Routes see only these plain shapes, never a Node or AWS type (DESIGN.md, "The shape").
 */
export interface IngressRequest {
  method: string;
  /** Path without the query string, e.g. `/api/alerts`. */
  path: string;
  query: URLSearchParams;
  /** Header names are lower-case. A header sent twice is joined with ", " as Node does. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The exact bytes received: signatures are verified on these before anything is parsed. */
  rawBody: Buffer;
  requestId: string;
  /** Route parameters filled in by the router, e.g. `{ jobKey }` for `/api/monitor/jobs/:jobKey`. */
  params: Readonly<Record<string, string>>;
}

export interface IngressResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else is sent as JSON. */
  body?: unknown;
}

export type RouteHandler = (request: IngressRequest) => Promise<IngressResponse>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/api/monitor/jobs/:jobKey` style; segments starting with `:` capture. */
  path: string;
  handler: RouteHandler;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): IngressResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}
