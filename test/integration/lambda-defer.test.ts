/**
 * The `defer` port on Lambda (src/integrations/lambda-defer.ts): the real @aws-sdk/client-lambda against the
 * Lambda fake, which speaks the Invoke API's wire format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaDefer, parseDeferredJob } from '../../src/integrations/lambda-defer.js';
import { startFakeLambda, type FakeLambda } from '../fakes/lambda.js';
import { captureLogs } from '../helpers/log-capture.js';
import { setEnv } from '../helpers/lambda-bundles.js';

let lambda: FakeLambda;
let restoreEnv: () => void;
const received: unknown[] = [];

beforeAll(async () => {
  lambda = await startFakeLambda({
    'hikeshi-test-worker': async (event) => {
      received.push(event);
      return { ok: true };
    },
  });
  restoreEnv = setEnv({
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDADEFER',
    AWS_SECRET_ACCESS_KEY: 'lambda-defer-secret',
  });
});
afterAll(async () => {
  restoreEnv();
  await lambda.close();
});

describe('createLambdaDefer', () => {
  it('hands each job to the worker by a signed asynchronous invoke; drain waits for the sends', async () => {
    const logs = captureLogs();
    const defer = createLambdaDefer({
      functionName: 'hikeshi-test-worker',
      region: 'ap-northeast-1',
      logger: logs.logger,
    });
    defer({ name: 'analysis.run', payload: { incidentId: 'INC-7', question: '火消し?' } });
    defer({ name: 'report.write', payload: { incidentId: 'INC-7' } });
    await defer.drain();
    // The two sends run concurrently; their order is not part of the contract.
    const byName = (i: { payload: unknown }) => JSON.stringify(i.payload);
    expect([...lambda.invocations].sort((a, b) => byName(a).localeCompare(byName(b)))).toEqual([
      {
        functionName: 'hikeshi-test-worker',
        invocationType: 'Event',
        signed: true,
        payload: { name: 'analysis.run', payload: { incidentId: 'INC-7', question: '火消し?' } },
      },
      {
        functionName: 'hikeshi-test-worker',
        invocationType: 'Event',
        signed: true,
        payload: { name: 'report.write', payload: { incidentId: 'INC-7' } },
      },
    ]);
    // Nothing ran here: the worker runs the jobs when Lambda delivers them.
    expect(received).toEqual([]);
    await lambda.deliver();
    expect(received).toHaveLength(2);
    defer.close();
  });

  it('logs (and does not throw) when the worker cannot be invoked', async () => {
    const logs = captureLogs();
    const defer = createLambdaDefer({
      functionName: 'no-such-worker',
      region: 'ap-northeast-1',
      logger: logs.logger,
    });
    expect(() => defer({ name: 'analysis.run', payload: {} })).not.toThrow();
    await defer.drain();
    expect(logs.text()).toContain('could not hand a job to the worker');
    expect(logs.text()).toContain('analysis.run');
    defer.close();
  });

  it('refuses a job too large for an asynchronous invoke', async () => {
    const logs = captureLogs();
    const before = lambda.invocations.length;
    const defer = createLambdaDefer({
      functionName: 'hikeshi-test-worker',
      region: 'ap-northeast-1',
      logger: logs.logger,
    });
    defer({ name: 'analysis.run', payload: { text: 'x'.repeat(300 * 1024) } });
    await defer.drain();
    expect(lambda.invocations.length).toBe(before);
    expect(logs.text()).toContain('too large');
    defer.close();
  });
});

describe('parseDeferredJob', () => {
  it('accepts { name, payload } and names the field that is wrong', () => {
    expect(parseDeferredJob({ name: 'a', payload: { b: 1 } })).toEqual({ name: 'a', payload: { b: 1 } });
    expect(() => parseDeferredJob({ name: '', payload: {} })).toThrow(/Not a deferred job: name/);
    expect(() => parseDeferredJob({ name: 'a' })).toThrow(/Not a deferred job: payload/);
    expect(() => parseDeferredJob('hello')).toThrow(/Not a deferred job: event/);
  });
});
