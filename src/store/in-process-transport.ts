/**
 * The embedded store's own client talks to its dynalite without a socket: this request handler hands the SDK's
 * signed HTTP request to dynalite's request listener (`exchange`, dynalite-host.mjs; across a MessagePort when
 * dynalite runs in its worker thread) and turns what the listener answers into the SDK's response. Same SDK,
 * same signing, same wire format (JSON bodies, the `x-amz-crc32` check), minus two HTTP stacks and a loopback
 * round trip per call, which were about a third of the CPU an alert or a webhook cost (docs/BENCHMARKS.md, B1
 * and B5). Other clients still reach dynalite over its HTTP port.
 */
import type { WireRequest, WireResponse } from './embedded.js';

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

function wireBody(body: unknown): string | Uint8Array {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // The SDK's JSON bodies are views into a shared 8 KB buffer, and a MessagePort copies a view's whole buffer:
  // copy out just the bytes.
  if (body instanceof Uint8Array)
    return body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
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

/** An SDK `requestHandler` that sends every request through `exchange` (see the file comment). */
export function createInProcessHandler(exchange: (request: WireRequest) => Promise<WireResponse>) {
  const send = async (request: SdkRequest): Promise<{ response: SdkResponse }> => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const answer = await exchange({
      method: request.method,
      url: `${request.path}${queryString(request.query)}`,
      headers,
      body: wireBody(request.body),
    });
    const { body } = answer;
    return {
      response: {
        statusCode: answer.statusCode,
        headers: answer.headers,
        body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
      },
    };
  };
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    handle: (request: SdkRequest) => send(request),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };
}
