/** Small node:http helpers shared by the Web API and response_url handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './types.js';

/** Slack accepts request bodies up to a few MB; anything bigger here is a bug in the caller. */
const BODY_LIMIT = 5 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > BODY_LIMIT) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Form fields as strings; repeated keys keep the last value, as Slack does. */
export function parseForm(text: string): JsonObject {
  return Object.fromEntries(new URLSearchParams(text));
}
