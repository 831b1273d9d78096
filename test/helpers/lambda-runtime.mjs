// A stand-in for the AWS Lambda Node.js runtime, run as its own process by test/helpers/lambda-deploy.ts with
// nothing but the function's environment: it loads the handler `_HANDLER` names (`<file>.<export>`) from
// LAMBDA_TASK_ROOT, as the runtime does, and invokes it for each event the parent sends over IPC, answering
// `{ id, result }` or `{ id, error }`. Plain JavaScript, run by plain node: the function must not lean on
// anything the test process has (tsx, Vite, the checkout's node_modules).
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const root = process.env['LAMBDA_TASK_ROOT'] ?? '';
const [file = '', name = 'handler'] = (process.env['_HANDLER'] ?? '').split('.');
const path = ['.mjs', '.js', '.cjs'].map((ext) => join(root, `${file}${ext}`)).find((p) => existsSync(p));
if (path === undefined) throw new Error(`no ${file}.mjs, .js or .cjs in ${root}`);
const loaded = await import(pathToFileURL(path).href);
const handler = loaded[name];
if (typeof handler !== 'function') throw new Error(`${path} exports no function ${name}`);

const functionName = process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? '';

process.on('message', (message) => {
  const { id, event, timeoutMs } = /** @type {{ id: string, event: unknown, timeoutMs: number }} */ (message);
  const started = Date.now();
  const context = {
    functionName,
    functionVersion: process.env['AWS_LAMBDA_FUNCTION_VERSION'],
    memoryLimitInMB: process.env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'],
    logGroupName: process.env['AWS_LAMBDA_LOG_GROUP_NAME'],
    logStreamName: process.env['AWS_LAMBDA_LOG_STREAM_NAME'],
    awsRequestId: id,
    invokedFunctionArn: `arn:aws:lambda:${process.env['AWS_REGION']}:123456789012:function:${functionName}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  };
  Promise.resolve()
    .then(() => handler(event, context))
    .then(
      (result) => process.send?.({ id, result: result ?? null }),
      (error) =>
        process.send?.({
          id,
          error: { name: String(error?.name), message: String(error?.message ?? error) },
        }),
    );
});
process.send?.({ ready: true });
