import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../logger.js';
import { MAX_BODY_BYTES, type IngressHandler } from '../router.js';
import type { IngressResponse } from '../types.js';
import { answerOversizedBody, type DiscardBounds } from './oversized-body.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

class BodyTooLarge extends Error {}

/**
 * Reads at most `limit` bytes; stops buffering (and lets the caller answer 413) as soon as it is exceeded, so
 * a body over the limit is never held in memory. What is left of it is drained by answerOversizedBody.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

export function sendResponse(res: ServerResponse, response: IngressResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | Buffer | undefined;
  if (response.body === undefined) payload = undefined;
  else if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) payload = response.body;
  else {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Adapts the runtime-neutral router to a node:http request listener. */
export function toNodeListener(
  handler: IngressHandler,
  deps: { logger: Logger; discard?: DiscardBounds },
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    readBody(req, MAX_BODY_BYTES)
      .then((rawBody) =>
        handler({
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          query: url.searchParams,
          headers: flattenHeaders(req.headers),
          rawBody,
          requestId,
        }),
      )
      .then((response) => sendResponse(res, response))
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) {
          answerOversizedBody(req, res, deps.discard);
          return;
        }
        deps.logger.error({ err: error, reqId: requestId }, 'ingress adapter failure');
        if (!res.headersSent)
          sendResponse(res, { status: 500, body: { error: 'internal error', code: 'INTERNAL' } });
        else res.destroy();
      });
  };
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
