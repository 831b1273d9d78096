/**
 * A fake Bedrock Agent Runtime speaking the real wire format: InvokeAgent is
 * `POST /agents/{agentId}/agentAliases/{aliasId}/sessions/{sessionId}/text`, answered with
 * `application/vnd.amazon.eventstream` frames built by @smithy/eventstream-codec. It listens with cleartext
 * HTTP/2 (`http2.createServer`) because the SDK's default handler is HTTP/2 and production keeps it.
 * Point the SDK at it with `AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME=fake.url`.
 *
 * Behaviour is scripted per request: `fake.script(...)` queues what the next requests get; when the queue is
 * empty, `fake.defaultScript` answers.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export type BedrockScript =
  | {
      type: 'chunks';
      chunks: string[];
      delayMs?: number;
      /** Awaited before writing chunk `index` (> 0): lets a test prove each chunk arrives before the next is sent. */
      gate?: (index: number) => Promise<void>;
    }
  | { type: 'error'; status: number; errorType: string; message?: string }
  /**
   * Send `chunks`, then an `exception` frame (`exceptionType` is the union member, e.g. `throttlingException`).
   * `traceFirst` sends a `trace` event first: the SDK reads the first event inside `send()` (and retries an
   * exception there), so this is how a test reaches an exception raised while iterating `completion`.
   */
  | { type: 'exception'; chunks?: string[]; exceptionType: string; message?: string; traceFirst?: boolean }
  /** Accept the request and never answer (for TIMEOUT). */
  | { type: 'hang' };

export interface RecordedInvoke {
  agentId: string;
  agentAliasId: string;
  sessionId: string;
  body: { inputText?: string; enableTrace?: boolean } & Record<string, unknown>;
  headers: http2.IncomingHttpHeaders;
}

export interface FakeBedrockAgent {
  url: string;
  requests: RecordedInvoke[];
  defaultScript: BedrockScript;
  script(...scripts: BedrockScript[]): void;
  /** Forgets queued scripts and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** The HTTP error InvokeAgent answers for each modelled exception. */
export const BEDROCK_ERRORS = {
  AccessDeniedException: 403,
  ValidationException: 400,
  ThrottlingException: 429,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 400,
  ConflictException: 409,
  InternalServerException: 500,
  DependencyFailedException: 424,
  BadGatewayException: 502,
  ServiceUnavailableException: 503,
} as const;

export function errorScript(
  errorType: keyof typeof BEDROCK_ERRORS,
  message = `${errorType} from fake`,
): BedrockScript {
  return { type: 'error', status: BEDROCK_ERRORS[errorType], errorType, message };
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export function chunkFrame(text: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ bytes: Buffer.from(text, 'utf8').toString('base64') })),
  });
}

export function traceFrame(sessionId: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'trace' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ sessionId, trace: {} })),
  });
}

export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

const PATH = /^\/agents\/([^/]+)\/agentAliases\/([^/]+)\/sessions\/([^/]+)\/text$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeBedrockAgent(): Promise<FakeBedrockAgent> {
  const queue: BedrockScript[] = [];
  const sessions = new Set<http2.ServerHttp2Session>();
  const fake: FakeBedrockAgent = {
    url: '',
    requests: [],
    defaultScript: { type: 'chunks', chunks: ['Hello ', 'from the ', 'fake agent.'] },
    script: (...scripts) => {
      queue.push(...scripts);
    },
    reset: () => {
      queue.length = 0;
      fake.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };

  const server = http2.createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', () => undefined);
    stream.on('end', () => {
      void respond(stream, headers, Buffer.concat(chunks).toString('utf8'));
    });
  });

  async function respond(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, raw: string) {
    const match = PATH.exec(String(headers[':path'] ?? '').split('?')[0] ?? '');
    if (headers[':method'] !== 'POST' || match === null) {
      stream.respond({
        ':status': 404,
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnknownOperationException',
      });
      stream.end(JSON.stringify({ message: 'Unknown operation' }));
      return;
    }
    const [, agentId = '', agentAliasId = '', sessionId = ''] = match.map((part) => decodeURIComponent(part));
    fake.requests.push({
      agentId,
      agentAliasId,
      sessionId,
      body: raw === '' ? {} : (JSON.parse(raw) as RecordedInvoke['body']),
      headers,
    });
    const script = queue.shift() ?? fake.defaultScript;
    if (script.type === 'hang') return;
    if (script.type === 'error') {
      stream.respond({
        ':status': script.status,
        'content-type': 'application/json',
        'x-amzn-errortype': `${script.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock.agent.runtime/`,
        'x-amzn-requestid': 'fake-request-id',
      });
      stream.end(JSON.stringify({ __type: script.errorType, message: script.message ?? script.errorType }));
      return;
    }
    stream.respond({
      ':status': 200,
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-agent-content-type': 'application/json',
      'x-amz-bedrock-agent-session-id': sessionId,
      'x-amzn-requestid': 'fake-request-id',
    });
    if (script.type === 'exception' && script.traceFirst === true) stream.write(traceFrame(sessionId));
    const delay = script.type === 'chunks' ? (script.delayMs ?? 0) : 0;
    for (const [index, text] of (script.chunks ?? []).entries()) {
      if (index > 0 && script.type === 'chunks' && script.gate !== undefined) await script.gate(index);
      if (stream.destroyed) return;
      stream.write(chunkFrame(text));
      if (delay > 0) await sleep(delay);
    }
    if (stream.destroyed) return;
    if (script.type === 'exception') {
      stream.write(exceptionFrame(script.exceptionType, script.message ?? script.exceptionType));
    }
    stream.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
