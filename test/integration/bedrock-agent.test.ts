/**
 * The Bedrock adapter through the real BedrockAgentRuntimeClient (default HTTP/2 handler, SigV4, event-stream
 * decoding) against the h2c fake, located through AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME like in production.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorKind } from '../../src/domain/classify.js';
import {
  createBedrockAgentAnalysis,
  type BedrockAgentAnalysis,
} from '../../src/integrations/bedrock-agent.js';
import { AnalysisError } from '../../src/services/ports/analysis.js';
import {
  errorScript,
  startFakeBedrockAgent,
  type BedrockScript,
  type FakeBedrockAgent,
} from '../fakes/bedrock-agent.js';

const ENV = {
  AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: '',
  AWS_ACCESS_KEY_ID: 'AKIDFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key',
  AWS_REGION: 'ap-northeast-1',
};
const saved: Record<string, string | undefined> = {};
let fake: FakeBedrockAgent;
const adapters: BedrockAgentAnalysis[] = [];

beforeAll(async () => {
  fake = await startFakeBedrockAgent();
  for (const [key, value] of Object.entries(ENV)) {
    saved[key] = process.env[key];
    process.env[key] = key === 'AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME' ? fake.url : value;
  }
});

afterEach(() => {
  for (const adapter of adapters.splice(0)) adapter.close();
  fake.reset();
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = value;
  }
  await fake.close();
});

function adapter(extra: { maxAttempts?: number; timeoutMs?: number } = {}): BedrockAgentAnalysis {
  const created = createBedrockAgentAnalysis({
    agentId: 'AGENT12345',
    agentAliasId: 'ALIAS12345',
    region: 'ap-northeast-1',
    retryBaseDelayMs: 5,
    ...extra,
  });
  adapters.push(created);
  return created;
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of iterable) out.push(chunk);
  return out;
}

async function failure(iterable: AsyncIterable<string>): Promise<{ error: AnalysisError; chunks: string[] }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of iterable) chunks.push(chunk);
  } catch (error) {
    expect(error).toBeInstanceOf(AnalysisError);
    return { error: error as AnalysisError, chunks };
  }
  throw new Error('expected the analysis to fail');
}

describe('createBedrockAgentAnalysis', () => {
  it('streams the answer chunk by chunk, with the incident id as the session', async () => {
    // The fake sends chunk n+1 only after the test has received chunk n, so buffering would deadlock.
    const received: string[] = [];
    const waiters: (() => void)[] = [];
    const gate = (index: number) =>
      new Promise<void>((resolve) => (received.length >= index ? resolve() : waiters.push(resolve)));
    fake.script({
      type: 'chunks',
      chunks: ['The database ', 'connection pool ', 'is exhausted. 日本語も'],
      gate,
    });
    for await (const chunk of adapter().analyze({
      sessionId: 'INC-42',
      inputText: 'Why is checkout failing?',
    })) {
      received.push(chunk);
      waiters.shift()?.();
    }
    expect(received).toEqual(['The database ', 'connection pool ', 'is exhausted. 日本語も']);

    const [request] = fake.requests;
    expect(request).toMatchObject({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', sessionId: 'INC-42' });
    expect(request!.body).toEqual({ inputText: 'Why is checkout failing?', enableTrace: false });
    expect(String(request!.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE\/\d+\/ap-northeast-1\/bedrock\//,
    );
  });

  const cases: [string, BedrockScript, ErrorKind][] = [
    ['AccessDeniedException 403', errorScript('AccessDeniedException'), 'MODEL_ACCESS_DENIED'],
    ['ValidationException 400', errorScript('ValidationException'), 'VALIDATION'],
    ['ResourceNotFoundException 404', errorScript('ResourceNotFoundException'), 'RESOURCE_NOT_FOUND'],
    ['DependencyFailedException 424', errorScript('DependencyFailedException'), 'SERVICE_UNAVAILABLE'],
    ['an unmodelled error', { type: 'error', status: 418, errorType: 'TeapotException' }, 'UNKNOWN'],
    [
      'an accessDeniedException frame',
      { type: 'exception', exceptionType: 'accessDeniedException' },
      'MODEL_ACCESS_DENIED',
    ],
  ];
  it.each(cases)('%s becomes AnalysisError %s', async (_name, script, kind) => {
    fake.script(script);
    const { error } = await failure(
      adapter({ maxAttempts: 1 }).analyze({ sessionId: 'INC-1', inputText: 'x' }),
    );
    expect(error.kind).toBe(kind);
    expect(error.code).toBe('ANALYSIS_FAILED');
    expect(error.details).toMatchObject({ agentId: 'AGENT12345', agentAliasId: 'ALIAS12345', kind });
    expect(error.userMessage).toBeTruthy();
  });

  it('503 ServiceUnavailable is SERVICE_UNAVAILABLE after the SDK has retried it', async () => {
    const status503: BedrockScript = { type: 'error', status: 503, errorType: 'ServiceUnavailableException' };
    fake.script(status503, status503);
    const { error } = await failure(
      adapter({ maxAttempts: 2 }).analyze({ sessionId: 'INC-1', inputText: 'x' }),
    );
    expect(error.kind).toBe('SERVICE_UNAVAILABLE');
    expect(fake.requests).toHaveLength(2);
  });

  it('a hanging agent is TIMEOUT', async () => {
    fake.script({ type: 'hang' });
    const { error } = await failure(
      adapter({ maxAttempts: 1, timeoutMs: 300 }).analyze({ sessionId: 'INC-1', inputText: 'x' }),
    );
    expect(error.kind).toBe('TIMEOUT');
  });

  it('HTTP 429 throttling is retried by the SDK and succeeds when the fake recovers', async () => {
    fake.script(errorScript('ThrottlingException'), { type: 'chunks', chunks: ['recovered'] });
    const chunks = await collect(adapter({ maxAttempts: 3 }).analyze({ sessionId: 'INC-7', inputText: 'x' }));
    expect(chunks).toEqual(['recovered']);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.every((r) => r.sessionId === 'INC-7')).toBe(true);
  });

  it('a throttlingException as the first frame is retried by the SDK inside send()', async () => {
    fake.script(
      { type: 'exception', exceptionType: 'throttlingException', message: 'Rate exceeded' },
      { type: 'chunks', chunks: ['ok'] },
    );
    const chunks = await collect(adapter({ maxAttempts: 3 }).analyze({ sessionId: 'INC-8', inputText: 'x' }));
    expect(chunks).toEqual(['ok']);
    expect(fake.requests).toHaveLength(2);
  });

  it('a throttlingException later in the stream, before any chunk, is retried by the adapter', async () => {
    fake.script(
      { type: 'exception', traceFirst: true, exceptionType: 'throttlingException' },
      { type: 'chunks', chunks: ['ok'] },
    );
    const chunks = await collect(adapter({ maxAttempts: 3 }).analyze({ sessionId: 'INC-8', inputText: 'x' }));
    expect(chunks).toEqual(['ok']);
    expect(fake.requests).toHaveLength(2);
  });

  it('throttling that never recovers ends as THROTTLING after maxAttempts', async () => {
    const frame: BedrockScript = {
      type: 'exception',
      traceFirst: true,
      exceptionType: 'throttlingException',
    };
    fake.script(frame, frame);
    const { error } = await failure(
      adapter({ maxAttempts: 2 }).analyze({ sessionId: 'INC-9', inputText: 'x' }),
    );
    expect(error.kind).toBe('THROTTLING');
    expect(fake.requests).toHaveLength(2);
  });

  it('an exception frame after chunks keeps the chunks and is not retried', async () => {
    fake.script({ type: 'exception', chunks: ['partial ', 'answer'], exceptionType: 'throttlingException' });
    const { error, chunks } = await failure(
      adapter({ maxAttempts: 3 }).analyze({ sessionId: 'INC-10', inputText: 'x' }),
    );
    expect(chunks).toEqual(['partial ', 'answer']);
    expect(error.kind).toBe('THROTTLING');
    expect(fake.requests).toHaveLength(1);
  });

  it('a consumer that stops early does not leave the stream open', async () => {
    fake.script({ type: 'chunks', chunks: ['a', 'b', 'c', 'd'], delayMs: 20 });
    for await (const chunk of adapter().analyze({ sessionId: 'INC-11', inputText: 'x' })) {
      expect(chunk).toBe('a');
      break;
    }
  });
});
