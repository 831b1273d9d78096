/**
 * A fake AWS Lambda Invoke API for the real @aws-sdk/client-lambda, pointed at it through
 * AWS_ENDPOINT_URL_LAMBDA: `POST /2015-03-31/functions/{FunctionName}/invocations`, SigV4-signed, with
 * `X-Amz-Invocation-Type: Event` answered `202` and an empty body, as Lambda answers an asynchronous invoke.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 *
 * Asynchronous invocations are queued, like Lambda's own event queue, and run through the registered handler
 * only when the test calls `deliver()`: one at a time, after the invoking function has returned, so each
 * function's effects can be told apart.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeLambdaHandler = (event: unknown) => Promise<unknown>;

export interface FakeInvocation {
  functionName: string;
  invocationType: string;
  payload: unknown;
  /** True when an `Authorization: AWS4-HMAC-SHA256 …` header came with it. */
  signed: boolean;
}

export interface FakeLambda {
  url: string;
  /** Every invocation received, oldest first. */
  invocations: FakeInvocation[];
  /** Runs the queued asynchronous invocations (and any they queue) through their handlers; returns the results. */
  deliver(): Promise<{ functionName: string; result?: unknown; error?: unknown }[]>;
  close(): Promise<void>;
}

export async function startFakeLambda(functions: Record<string, FakeLambdaHandler>): Promise<FakeLambda> {
  const queue: FakeInvocation[] = [];
  const invocations: FakeInvocation[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(
        (req.url ?? '').split('?')[0] ?? '',
      );
      const functionName = decodeURIComponent(match?.[1] ?? '');
      if (req.method !== 'POST' || match === null) {
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'UnknownOperationException',
        });
        res.end(JSON.stringify({ message: `no route ${req.method} ${req.url}` }));
        return;
      }
      if (functions[functionName] === undefined) {
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ResourceNotFoundException',
        });
        res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${functionName}` }));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const invocation: FakeInvocation = {
        functionName,
        invocationType: String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse'),
        payload: text === '' ? undefined : (JSON.parse(text) as unknown),
        signed: String(req.headers['authorization'] ?? '').startsWith('AWS4-HMAC-SHA256 '),
      };
      invocations.push(invocation);
      if (invocation.invocationType === 'Event') {
        queue.push(invocation);
        res.writeHead(202, { 'x-amzn-requestid': `req-${invocations.length}` });
        res.end();
        return;
      }
      res.writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'InvalidParameterValueException',
      });
      res.end(JSON.stringify({ message: 'the fake only takes asynchronous (Event) invocations' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    async deliver() {
      const results: { functionName: string; result?: unknown; error?: unknown }[] = [];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const handler = functions[next.functionName];
        if (handler === undefined) continue;
        try {
          results.push({ functionName: next.functionName, result: await handler(next.payload) });
        } catch (error) {
          results.push({ functionName: next.functionName, error });
        }
      }
      return results;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
