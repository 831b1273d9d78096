/**
 * Bundle-only stand-in for the modules a Lambda function never runs (scripts/build-lambda.ts lists which, per
 * function, and why). Each export has the shape its importer expects, so building the app still works (a
 * configured Confluence still constructs its "publisher"), but using one fails loudly, naming the function:
 *   - confluence.ts, bedrock-agent.ts: reports and analyses run in the `worker` (the other functions hand them
 *     over through WORKER_FUNCTION_NAME);
 *   - @gitbeaker/rest, @octokit/core: the "task received" comments are written by the `tasks` consumer;
 *   - amqplib: only `ingress` publishes tasks (`tasks` receives them from the Amazon MQ event source);
 *   - @aws-sdk/client-lambda: only slack, ingress and tick hand jobs to the worker;
 *   - @aws-sdk/client-connect: only tick, connectFlow and ingress (the HTTP contact-flow callback) place calls;
 *   - @slack/socket-mode, express, raw-body: Bolt's Socket Mode and HTTP receivers, which the `slack` function
 *     (AwsLambdaReceiver) never constructs.
 */
import { AppError, ErrorCode } from '../errors.js';
import type { AnalysisPort } from '../services/ports/analysis.js';
import type { ReportPublisher } from '../services/ports/report-publisher.js';

function unavailable(what: string): AppError {
  const fn = process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? 'this';
  return new AppError(ErrorCode.Internal, `${what} is not bundled in the ${fn} Lambda function`, {
    details: { module: what },
  });
}

function fail(what: string): () => never {
  return () => {
    throw unavailable(what);
  };
}

/** src/integrations/confluence.ts */
export function createConfluencePublisher(): ReportPublisher {
  return { publish: () => Promise.reject(unavailable('Confluence')) };
}

/** src/integrations/bedrock-agent.ts */
export function createBedrockAgentAnalysis(): AnalysisPort & { close(): void } {
  return {
    // eslint-disable-next-line require-yield -- the stand-in fails before its first chunk
    async *analyze() {
      throw unavailable('The Bedrock agent');
    },
    close: () => undefined,
  };
}

/** @gitbeaker/rest */
export class Gitlab {
  readonly IssueNotes = { create: fail('@gitbeaker/rest') };
  readonly MergeRequestNotes = { create: fail('@gitbeaker/rest') };
}

/** @octokit/core */
export class Octokit {
  readonly request = fail('@octokit/core');
}

/** An AWS SDK client whose `send` fails; `destroy` is harmless (shutdown). */
function unavailableClient(what: string) {
  return class {
    send(): Promise<never> {
      return Promise.reject(unavailable(what));
    }
    destroy(): void {
      // nothing to release
    }
  };
}
class UnavailableCommand {
  constructor(readonly input: unknown) {}
}

/** @aws-sdk/client-lambda */
export const LambdaClient = unavailableClient('@aws-sdk/client-lambda');
export class InvokeCommand extends UnavailableCommand {}

/** @aws-sdk/client-connect */
export const ConnectClient = unavailableClient('@aws-sdk/client-connect');
export class StartOutboundVoiceContactCommand extends UnavailableCommand {}

/** amqplib: `connect` is first called when a task is published. */
export const connect = fail('amqplib');

/** @slack/socket-mode: Bolt constructs its client only for a Socket Mode app. */
export const SocketModeClient = function SocketModeClient(): never {
  throw unavailable('@slack/socket-mode');
};

/** express (`express()`, `Router()`) and raw-body (its default export) */
export const Router = fail('express');
export default fail('express / raw-body');
