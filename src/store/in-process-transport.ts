/**
 * The embedded store's own client talks to dynalite in this process without a socket: this request handler
 * hands the SDK's signed HTTP request to dynalite's request listener as an in-memory request and turns what
 * the listener answers into the SDK's response. Same SDK, same signing, same wire format (JSON bodies, the
 * `x-amz-crc32` check), minus two HTTP stacks and a loopback round trip per call, which were about a third of
 * the CPU an alert or a webhook cost (docs/BENCHMARKS.md, B1 and B5). Other clients still reach dynalite over
 * its HTTP port.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The part of the SDK's HttpRequest this handler reads. */
interface SdkRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface SdkResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error('in-process DynamoDB transport: streamed request bodies are not supported');
}

function queryString(query: SdkRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v ?? '');
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** An SDK `requestHandler` that calls `listener` directly (see the file comment). */
export function createInProcessHandler(listener: RequestListener, isOpen: () => boolean = () => true) {
  const send = (request: SdkRequest): Promise<{ response: SdkResponse }> =>
    new Promise((resolve, reject) => {
      // A closed dynalite never answers (its database is gone): fail like a refused socket would.
      if (!isOpen()) {
        reject(Object.assign(new Error('embedded DynamoDB is closed'), { code: 'ECONNREFUSED' }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      const req = Object.assign(new EventEmitter(), {
        method: request.method,
        url: `${request.path}${queryString(request.query)}`,
        headers,
      });
      const responseHeaders: Record<string, string> = {};
      const res = {
        statusCode: 200,
        contentType: undefined as string | undefined,
        setHeader(name: string, value: string | number) {
          responseHeaders[name.toLowerCase()] = String(value);
        },
        end(data?: string | Buffer) {
          resolve({
            response: {
              statusCode: res.statusCode,
              headers: responseHeaders,
              body: data === undefined ? new Uint8Array() : Buffer.from(data),
            },
          });
        },
      };
      try {
        listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const body = bodyBytes(request.body);
      // dynalite listens for the body like it would on a socket: after the listener is attached.
      process.nextTick(() => {
        if (body.length > 0) req.emit('data', body);
        req.emit('end');
      });
    });
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle: (request: SdkRequest) => send(request),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
}
