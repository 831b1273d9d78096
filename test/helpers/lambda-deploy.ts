/**
 * A packaged stack "deployed" on this machine, for tests: each function's zip (the artifact `osls package` names)
 * unpacked into its own directory outside the checkout, and run as its own process by a stand-in of the Lambda
 * Node.js runtime (test/helpers/lambda-runtime.mjs) with exactly the environment a deployed function has: the
 * variables of its `Environment` in the CloudFormation template (intrinsics resolved as the stack would,
 * test/helpers/cloudformation.ts), what Lambda itself sets, and nothing else but the endpoints that send the
 * outside world to local fakes (`AWS_ENDPOINT_URL_<SERVICE>`, and SLACK_API_URL, Slack's equivalent).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LAMBDA_FUNCTION_NAMES, type LambdaFunction } from '../../scripts/build-lambda.js';
import { resolveIntrinsics, type StackContext } from './cloudformation.js';
import type { CfnResource, CfnTemplate } from './serverless.js';

const RUNTIME = join(dirname(fileURLToPath(import.meta.url)), 'lambda-runtime.mjs');

/** The files of a zip archive (stored or deflated entries, as the Lambda artifacts are). */
export function unzip(zip: Buffer): { name: string; data: Buffer }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  const entries = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.push({ name, data });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** Unpacks `zipPath` into `dir` (which must be outside the checkout, as /var/task is). */
export async function unpack(zipPath: string, dir: string): Promise<string[]> {
  const files = unzip(await readFile(zipPath));
  for (const file of files) {
    if (file.name.endsWith('/')) continue;
    await mkdir(dirname(join(dir, file.name)), { recursive: true });
    await writeFile(join(dir, file.name), file.data);
  }
  return files.map((f) => f.name);
}

/** Creates the template's DynamoDB tables at `endpoint`, as CloudFormation would (keys and billing mode). */
export async function createTables(
  template: CfnTemplate,
  endpoint: string,
  region: string,
): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: 'AKIDCREATETABLES', secretAccessKey: 'create-tables-secret' },
  });
  const names: string[] = [];
  try {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::DynamoDB::Table') continue;
      const p = resource.Properties ?? {};
      await client.send(
        new CreateTableCommand({
          TableName: String(p['TableName']),
          KeySchema: p['KeySchema'] as CreateTableCommand['input']['KeySchema'],
          AttributeDefinitions: p[
            'AttributeDefinitions'
          ] as CreateTableCommand['input']['AttributeDefinitions'],
          // The Escalations table's due index (issue 19), as CloudFormation would create it.
          ...(p['GlobalSecondaryIndexes'] === undefined
            ? {}
            : {
                GlobalSecondaryIndexes: p[
                  'GlobalSecondaryIndexes'
                ] as CreateTableCommand['input']['GlobalSecondaryIndexes'],
              }),
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      names.push(String(p['TableName']));
    }
  } finally {
    client.destroy();
  }
  return names;
}

export interface DeployedFunction {
  name: string;
  /** The environment the process runs with, exactly. */
  env: Record<string, string>;
  /** One invocation, as Lambda makes it; rejects with the handler's error. */
  invoke(event: unknown): Promise<unknown>;
  /** Everything the function wrote to stdout and stderr (its logs). */
  output(): string;
  close(): Promise<void>;
}

/**
 * The environment of the function `resource` of `template`: its Environment.Variables resolved, plus what the
 * Lambda runtime sets, plus `outside` (endpoints of the local fakes, credentials of its role).
 */
export function lambdaEnvironment(
  resource: CfnResource,
  template: CfnTemplate,
  stack: StackContext,
  taskRoot: string,
  outside: Record<string, string>,
): Record<string, string> {
  const props = resource.Properties ?? {};
  const variables = resolveIntrinsics(
    (props['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
    template,
    stack,
  ) as Record<string, unknown>;
  const name = String(props['FunctionName']);
  const runtime = String(props['Runtime']);
  return {
    ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
    // Set by Lambda (reserved variables).
    _HANDLER: String(props['Handler']),
    AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(props['MemorySize'] ?? 1024),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `2026/12/07/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    AWS_REGION: stack.region,
    AWS_DEFAULT_REGION: stack.region,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: dirname(process.execPath),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    ...outside,
  };
}

/** Starts the function's "container": a fresh process that imports the handler, ready for invocations. */
export async function startFunction(name: string, env: Record<string, string>, timeoutSeconds: number) {
  const child: ChildProcess = fork(RUNTIME, [], {
    cwd: env['LAMBDA_TASK_ROOT'] ?? '/',
    env,
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`)),
    );
    child.on('message', (message: { ready?: boolean; id?: string; result?: unknown; error?: Error }) => {
      if (message.ready === true) resolve();
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (waiting === undefined || message.id === undefined) return;
      pending.delete(message.id);
      if (message.error === undefined) waiting.resolve(message.result);
      else waiting.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`${name} exited (${code}):\n${output}`));
    pending.clear();
  });
  const fn: DeployedFunction = {
    name,
    env,
    invoke: (event) =>
      new Promise((resolve, reject) => {
        const id = randomUUID();
        pending.set(id, { resolve, reject });
        child.send({ id, event, timeoutMs: timeoutSeconds * 1000 });
      }),
    output: () => output,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
  return fn;
}

/**
 * Every function of the template, unpacked from its artifact into `<root>/<fn>` and started with its environment
 * (`lambdaEnvironment`, plus `outside`). Keyed by the function's name in serverless.yml.
 */
export async function startStack(
  template: CfnTemplate,
  artifacts: Record<string, string>,
  options: { stack: StackContext; root: string; outside: Record<string, string> },
): Promise<Record<LambdaFunction, DeployedFunction>> {
  const entries = await Promise.all(
    LAMBDA_FUNCTION_NAMES.map(async (fn) => {
      const resource = template.Resources[`${fn.charAt(0).toUpperCase()}${fn.slice(1)}LambdaFunction`];
      const artifact = artifacts[fn];
      if (resource === undefined || artifact === undefined) throw new Error(`no function ${fn} in the stack`);
      const taskRoot = join(options.root, fn);
      await unpack(artifact, taskRoot);
      const env = lambdaEnvironment(resource, template, options.stack, taskRoot, options.outside);
      const timeout = Number(resource.Properties?.['Timeout'] ?? 6);
      return [fn, await startFunction(String(resource.Properties?.['FunctionName']), env, timeout)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<LambdaFunction, DeployedFunction>;
}
