/**
 * AnalysisPort over Amazon Bedrock Agents (InvokeAgent), streaming the agent's answer chunk by chunk.
 *
 * Endpoint: the SDK resolves `AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME` itself (tests point it at the fake), so
 * there is no endpoint option here. Transport: the client keeps its default HTTP/2 handler — production
 * behaviour is unchanged and the test fake speaks cleartext HTTP/2 (`http2.createServer`) instead.
 *
 * Retries happen at two levels, both bounded by `maxAttempts`:
 * 1. The SDK's standard retry strategy (`maxAttempts` is passed to the client) covers everything `send()`
 *    sees: an HTTP 429/5xx/timeout before the stream starts, and also an `exception` frame that is the *first*
 *    event — the SDK (3.11xx) reads the first event inside `send()` to look for an initial-response, so a
 *    first-frame ThrottlingException is retried there, with its 500 ms throttling backoff base.
 * 2. An `exception` frame after the first event (e.g. after a trace event) is raised while iterating
 *    `completion`, where the SDK cannot retry. If it is THROTTLING and no chunk has been yielded yet, we invoke
 *    again after an exponential backoff with jitter. Once a chunk has been yielded the caller has shown it, so a
 *    later error (any kind) is raised as is: retrying would repeat or contradict text already on screen.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_InvokeAgent.html
 */
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { classifyAwsError, type ErrorKind } from '../domain/classify.js';
import { AnalysisError, type AnalysisPort, type AnalysisRequest } from '../services/ports/analysis.js';

export interface BedrockAgentOptions {
  agentId: string;
  agentAliasId: string;
  region: string;
  /** Pass a client to share one, or in tests; otherwise one is built (and `close()` destroys it). */
  client?: BedrockAgentRuntimeClient;
  /** Attempts per request at each retry level (see the file comment). Default 3. */
  maxAttempts?: number;
  /** Inactivity timeout of the HTTP/2 stream, in ms; also ends a stream that stalls mid-answer. Default 120 s. */
  timeoutMs?: number;
  /** Base of the in-stream throttling backoff, in ms. Default 500 (the SDK's own throttling base). */
  retryBaseDelayMs?: number;
}

export interface BedrockAgentAnalysis extends AnalysisPort {
  /** Releases the HTTP/2 sessions of a client this adapter built. */
  close(): void;
}

const decoder = new TextDecoder();

function messageOf(error: unknown): string {
  if (error instanceof Error && error.message !== '') return error.message;
  if (error instanceof Error) return error.name;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createBedrockAgentAnalysis(options: BedrockAgentOptions): BedrockAgentAnalysis {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelay = options.retryBaseDelayMs ?? 500;
  const ownsClient = options.client === undefined;
  let created = options.client;
  // Loaded and built on the first analysis, not at start-up: a Lambda cold start compiles only what its entry
  // imports statically (scripts/build-lambda.ts), and most of the worker's jobs are not analyses.
  const bedrockSdk = () => import('./bedrock-agent-sdk.js');
  const client = async (): Promise<BedrockAgentRuntimeClient> => {
    const { BedrockAgentRuntimeClient } = await bedrockSdk();
    return (created ??= new BedrockAgentRuntimeClient({
      region: options.region,
      maxAttempts,
      // Options for the default NodeHttp2Handler, not a different handler.
      requestHandler: { requestTimeout: options.timeoutMs ?? 120_000 },
    }));
  };
  const ids = { agentId: options.agentId, agentAliasId: options.agentAliasId };

  function toAnalysisError(error: unknown): AnalysisError {
    if (error instanceof AnalysisError) return error;
    const kind: ErrorKind = classifyAwsError(error);
    const name = error instanceof Error ? error.name : 'Error';
    return new AnalysisError(kind, `InvokeAgent failed (${name}): ${messageOf(error)}`, ids, error);
  }

  // Errors thrown by send() have been through the SDK's retries already; only stream errors are ours to retry.
  class StreamFailure {
    constructor(readonly error: unknown) {}
  }

  async function* attempt(req: AnalysisRequest, signal: AbortSignal): AsyncGenerator<string> {
    const { InvokeAgentCommand } = await bedrockSdk();
    const output = await (
      await client()
    ).send(
      new InvokeAgentCommand({
        ...ids,
        sessionId: req.sessionId,
        inputText: req.inputText,
        enableTrace: false,
      }),
      { abortSignal: signal },
    );
    if (output.completion === undefined) {
      throw new AnalysisError('UNKNOWN', 'InvokeAgent returned no completion stream', ids);
    }
    try {
      for await (const event of output.completion) {
        const bytes = event.chunk?.bytes;
        if (bytes !== undefined && bytes.length > 0) yield decoder.decode(bytes);
      }
    } catch (error) {
      throw new StreamFailure(error);
    }
  }

  async function* analyze(req: AnalysisRequest): AsyncGenerator<string> {
    for (let tries = 1; ; tries++) {
      const controller = new AbortController();
      let yielded = false;
      try {
        for await (const chunk of attempt(req, controller.signal)) {
          yielded = true;
          yield chunk;
        }
        return;
      } catch (caught) {
        const inStream = caught instanceof StreamFailure;
        const failure = toAnalysisError(inStream ? caught.error : caught);
        if (!inStream || failure.kind !== 'THROTTLING' || yielded || tries >= maxAttempts) throw failure;
        await sleep(baseDelay * 2 ** (tries - 1) * (0.5 + Math.random() / 2));
      } finally {
        // Ends the HTTP/2 stream if the caller stopped iterating early; a no-op once it has closed.
        controller.abort();
      }
    }
  }

  return {
    analyze,
    close: () => {
      if (ownsClient) created?.destroy();
    },
  };
}
