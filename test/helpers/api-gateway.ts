/**
 * API Gateway (HTTP API, payload format 2.0) in front of Lambda handlers, for tests: a local HTTP server that
 * turns each request into the event API Gateway would send, calls the route's handler in-process, and turns
 * the result back into the HTTP response. So Slack (the emulator), curl-like `fetch` calls and the job
 * snippet reach a bundled handler exactly the way they reach API Gateway.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 *
 * Like HTTP APIs, text bodies (JSON, text/*) arrive as they are and every other body base64-encoded, with
 * `isBase64Encoded: true` (Slack's form-encoded interactions and slash commands among them).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface ApiGateway {
  url: string;
  close(): Promise<void>;
}

const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml)|application\/[\w.+-]+\+json)/i;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A Lambda context with what our handlers and Bolt read. */
export function lambdaContext(functionName: string): Record<string, unknown> {
  return {
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: randomUUID(),
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/01/14/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => 10_000,
  };
}

export function apiGatewayEvent(input: {
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  body: Buffer;
}): Record<string, unknown> {
  const contentType = input.headers['content-type'] ?? '';
  const asText = input.body.length === 0 || TEXT_TYPES.test(contentType);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${input.method} ${input.path}`,
    rawPath: input.path,
    rawQueryString: input.query ?? '',
    headers: input.headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'hikeshi-test',
      domainName: 'hikeshi-test.execute-api.ap-northeast-1.amazonaws.com',
      domainPrefix: 'hikeshi-test',
      http: {
        method: input.method,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: input.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${input.method} ${input.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(input.body.length === 0
      ? {}
      : { body: asText ? input.body.toString('utf8') : input.body.toString('base64') }),
    isBase64Encoded: !asText,
  };
}

/** `route` picks the handler (and the function name its context carries) for a path. */
export async function startApiGateway(
  route: (path: string) => { functionName: string; handler: LambdaHandler },
): Promise<ApiGateway> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      const event = apiGatewayEvent({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search.slice(1),
        headers,
        body: await readBody(req),
      });
      const { functionName, handler } = route(url.pathname);
      try {
        const result = (await handler(event, lambdaContext(functionName))) as {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: string;
          isBase64Encoded?: boolean;
        };
        const body =
          result.body === undefined
            ? ''
            : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
        res.writeHead(result.statusCode ?? 200, result.headers ?? {});
        res.end(body);
      } catch {
        // What API Gateway answers when the function throws.
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"Internal Server Error"}');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
