import type { IngressHandler } from '../router.js';
import { requestIdFrom } from './node-http.js';

/** The subset of an API Gateway HTTP API (payload format 2.0) event that routing needs. */
export interface ApiGatewayV2Event {
  version?: string;
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string }; requestId?: string };
}

export interface ApiGatewayV2Result {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

export async function handleApiGatewayEvent(
  handler: IngressHandler,
  event: ApiGatewayV2Event,
): Promise<ApiGatewayV2Result> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const rawBody = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  const requestId = requestIdFrom(headers['x-request-id'] ?? event.requestContext.requestId);
  const response = await handler({
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    rawBody,
    requestId,
  });
  const outHeaders: Record<string, string> = { 'x-request-id': requestId, ...response.headers };
  if (response.body === undefined)
    return { statusCode: response.status, headers: outHeaders, body: '', isBase64Encoded: false };
  if (Buffer.isBuffer(response.body)) {
    return {
      statusCode: response.status,
      headers: outHeaders,
      body: response.body.toString('base64'),
      isBase64Encoded: true,
    };
  }
  if (typeof response.body === 'string') {
    return { statusCode: response.status, headers: outHeaders, body: response.body, isBase64Encoded: false };
  }
  outHeaders['content-type'] ??= 'application/json; charset=utf-8';
  return {
    statusCode: response.status,
    headers: outHeaders,
    body: JSON.stringify(response.body),
    isBase64Encoded: false,
  };
}
