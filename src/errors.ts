/**
 * Coded errors, in the style of bolt-js's errors.ts: every failure that crosses a boundary is an AppError
 * with a stable code, an HTTP status for the ingress router and an optional message safe to show a user.
 */
export const ErrorCode = {
  ConfigInvalid: 'CONFIG_INVALID',
  BadRequest: 'BAD_REQUEST',
  Unauthorized: 'UNAUTHORIZED',
  NotFound: 'NOT_FOUND',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  Conflict: 'CONFLICT',
  StoreUnavailable: 'STORE_UNAVAILABLE',
  QueueUnavailable: 'QUEUE_UNAVAILABLE',
  SecretsUnavailable: 'SECRETS_UNAVAILABLE',
  SlackApiError: 'SLACK_API_ERROR',
  /** The Bedrock agent (or the local analyser) could not produce an analysis. */
  AnalysisFailed: 'ANALYSIS_FAILED',
  /** Confluence (or the local report writer) could not publish the incident report. */
  ReportFailed: 'REPORT_FAILED',
  /** A notice (Chatwork) could not be delivered. Notifiers log this rather than throw it. */
  NotifyFailed: 'NOTIFY_FAILED',
  /** A phone call (Amazon Connect StartOutboundVoiceContact) could not be started; `details.kind` says why. */
  CallFailed: 'CALL_FAILED',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const defaultStatus: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONFLICT: 409,
  STORE_UNAVAILABLE: 500,
  QUEUE_UNAVAILABLE: 503,
  SECRETS_UNAVAILABLE: 500,
  SLACK_API_ERROR: 502,
  ANALYSIS_FAILED: 502,
  REPORT_FAILED: 502,
  NOTIFY_FAILED: 502,
  CALL_FAILED: 502,
  INTERNAL: 500,
};

export interface AppErrorOptions {
  status?: number;
  /** Shown to the person who caused it (HTTP body `error`, ephemeral Slack message). */
  userMessage?: string;
  cause?: unknown;
  /** Extra, non-secret facts for the log and for Chatwork notices. */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly userMessage: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? defaultStatus[code];
    this.userMessage = options.userMessage;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Shortcut for the most common ingress failure: a 400 that names what was wrong. */
export function badRequest(message: string, details?: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.BadRequest, message, {
    userMessage: message,
    ...(details === undefined ? {} : { details }),
  });
}
