/**
 * A recording proxy in front of a DynamoDB endpoint (dynalite): every request is forwarded unchanged, and the
 * operation (`X-Amz-Target`) and the tables it names are noted. Tests use it to check that what each Lambda
 * function really touched is within the IAM grants serverless.yml gives it.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DynamoCall {
  operation: string;
  tables: string[];
}

export interface DynamoRecorder {
  url: string;
  calls: DynamoCall[];
  close(): Promise<void>;
}

function tablesOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const { TableName, RequestItems } = body as { TableName?: unknown; RequestItems?: unknown };
  const tables = typeof TableName === 'string' ? [TableName] : [];
  if (typeof RequestItems === 'object' && RequestItems !== null) tables.push(...Object.keys(RequestItems));
  return tables;
}

export async function startDynamoRecorder(target: string): Promise<DynamoRecorder> {
  const upstream = new URL(target);
  const calls: DynamoCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
      calls.push({ operation, tables: tablesOf(parsed) });
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
