/**
 * The `defer` port on AWS Lambda: each deferred job becomes an asynchronous invocation of the worker function
 * (`InvocationType: 'Event'`), because work left running after a Lambda returns is frozen and lost. Lambda
 * queues the event and answers 202 at once, so handing off costs one short API call, not the job's time.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 *
 * The worker's event is `{ name, payload }` (`DeferredJob`), checked by `parseDeferredJob` on the way in; the
 * worker handler (src/lambda.ts) runs `services.deferredHandlers[name]` on it.
 *
 * `defer(job)` returns at once, like the in-process defer; `drain()` waits until every invoke has been sent,
 * and every handler calls it (through `settle()`) before returning. A failed invoke (after the SDK's own
 * retries) is logged with the job's name; it is not run in-process instead, because the function that
 * deferred it is the one that must answer fast.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from '../domain/zod.js';
import { AppError, ErrorCode, badRequest } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Defer, DeferredJob } from '../services/ports/defer.js';

/** Asynchronous invocations carry at most 1 MB (256 KB before 2025); ours are a few hundred bytes. */
export const MAX_DEFERRED_PAYLOAD_BYTES = 256 * 1024;

export interface LambdaDeferOptions {
  /** The worker function's name or ARN (WORKER_FUNCTION_NAME). */
  functionName: string;
  /** Region of the worker; the client is created on first use. */
  region: string;
  /** Pass one to share it, or in tests; otherwise one is built on the first `defer` (and `close()` destroys it). */
  client?: LambdaClient;
  logger: Logger;
}

export interface LambdaDefer extends Defer {
  close(): void;
}

const deferredJobSchema = z.object({
  name: z.string().check(z.minLength(1)),
  payload: z.record(z.string(), z.unknown()),
});

/** The worker's event, validated: a malformed one is a 400-style AppError naming the field. */
export function parseDeferredJob(event: unknown): DeferredJob {
  const parsed = deferredJobSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'event' : issue.path.join('.');
  throw badRequest(`Not a deferred job: ${field}: ${issue?.message ?? 'invalid'}`, { field });
}

export function createLambdaDefer(options: LambdaDeferOptions): LambdaDefer {
  const log = options.logger.child({ component: 'lambda-defer' });
  let client = options.client;
  const ownsClient = client === undefined;
  // Loaded and created on first use: a cold start need not compile (scripts/build-lambda.ts) nor build a client
  // most events never use.
  const lambdaSdk = () => import('./lambda-defer-sdk.js');
  const lambda = async (): Promise<LambdaClient> => {
    const { LambdaClient } = await lambdaSdk();
    return (client ??= new LambdaClient({ region: options.region, maxAttempts: 3 }));
  };
  const sending = new Set<Promise<void>>();

  async function send(job: DeferredJob): Promise<void> {
    const body = JSON.stringify({ name: job.name, payload: job.payload } satisfies DeferredJob);
    if (Buffer.byteLength(body) > MAX_DEFERRED_PAYLOAD_BYTES) {
      throw new AppError(ErrorCode.Internal, `deferred job ${job.name} is too large to invoke the worker`);
    }
    const { InvokeCommand } = await lambdaSdk();
    const output = await (
      await lambda()
    ).send(
      new InvokeCommand({
        FunctionName: options.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(body),
      }),
    );
    if (output.StatusCode !== 202) {
      throw new AppError(ErrorCode.Internal, `Invoke answered ${String(output.StatusCode)} instead of 202`);
    }
    log.debug({ job: job.name }, 'deferred job handed to the worker');
  }

  const defer = ((job: DeferredJob) => {
    const task = send(job)
      .catch((error: unknown) =>
        log.error(
          { err: error, job: job.name, worker: options.functionName },
          'could not hand a job to the worker',
        ),
      )
      .finally(() => sending.delete(task));
    sending.add(task);
  }) as LambdaDefer;
  defer.drain = async () => {
    while (sending.size > 0) await Promise.all([...sending]);
  };
  defer.close = () => {
    if (ownsClient) client?.destroy();
  };
  return defer;
}
