/**
 * Analysis port: asks something (the Bedrock agent, or the built-in rule-based analyser) to explain an incident.
 * The answer streams as text chunks so Slack can show it growing; a failure is an AnalysisError with a `kind`
 * from domain/classify.ts, which is what the thread message and the Chatwork notice name.
 */
import { AppError, ErrorCode } from '../../errors.js';
import { userMessageFor, type ErrorKind } from '../../domain/classify.js';

export interface AnalysisRequest {
  /** The incident id: the agent keeps context per session, so follow-ups in the thread continue it. */
  sessionId: string;
  inputText: string;
}

export interface AnalysisPort {
  /** Yields the answer as it arrives. Throws AnalysisError; chunks already yielded stay valid. */
  analyze(req: AnalysisRequest): AsyncIterable<string>;
}

export class AnalysisError extends AppError {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, details: Record<string, string> = {}, cause?: unknown) {
    super(ErrorCode.AnalysisFailed, message, {
      userMessage: userMessageFor(kind),
      details: { ...details, kind },
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'AnalysisError';
    this.kind = kind;
  }
}

export function isAnalysisError(error: unknown): error is AnalysisError {
  return error instanceof AnalysisError;
}
