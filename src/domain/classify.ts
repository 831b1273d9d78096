/**
 * Error kinds for outside-system failures, named the way the Chatwork seed names them
 * (../shared/seeds/chatwork-error-notifications.md: `🔴 エラー種別: MODEL_ACCESS_DENIED`), so a Chatwork notice,
 * a Slack thread message and a log line all speak of the same kinds. Pure: no I/O, no SDK imports — it reads
 * only the `name`, `code` and `$metadata.httpStatusCode` that AWS SDK v3 exceptions and Node errors carry.
 *
 * Mapping (the judgement calls are marked ★):
 * - MODEL_ACCESS_DENIED: AccessDeniedException, and ★ the credential failures that mean the same thing to an
 *   operator ("this role may not call the agent"): UnrecognizedClientException, InvalidSignatureException,
 *   ExpiredTokenException, CredentialsProviderError, any other 401/403.
 * - VALIDATION: ValidationException, SerializationException, any other 400/413.
 * - THROTTLING: ThrottlingException, TooManyRequestsException, ★ ServiceQuotaExceededException (on InvokeAgent
 *   it is a request/token rate quota: waiting helps, as with throttling), ★ ConflictException (a concurrent
 *   request on the same session: also cured by waiting), any other 429.
 * - RESOURCE_NOT_FOUND: ResourceNotFoundException (wrong agent id or alias id, or alias not prepared), 404.
 * - TIMEOUT: TimeoutError (the SDK's request timeout), AbortError, RequestTimeout(Exception), ETIMEDOUT,
 *   ESOCKETTIMEDOUT, 408/504.
 * - SERVICE_UNAVAILABLE: ServiceUnavailableException, InternalServerException, ★ DependencyFailedException
 *   (an action group Lambda or knowledge base behind the agent failed), ★ BadGatewayException,
 *   ★ ModelNotReadyException (transient by definition), ★ refused/reset connections and DNS failures, any 5xx.
 * - UNKNOWN: everything else.
 */
export type ErrorKind =
  | 'MODEL_ACCESS_DENIED'
  | 'VALIDATION'
  | 'THROTTLING'
  | 'RESOURCE_NOT_FOUND'
  | 'TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  | 'UNKNOWN';

export const ERROR_KINDS: readonly ErrorKind[] = [
  'MODEL_ACCESS_DENIED',
  'VALIDATION',
  'THROTTLING',
  'RESOURCE_NOT_FOUND',
  'TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'UNKNOWN',
];

const BY_NAME: Readonly<Record<string, ErrorKind>> = {
  AccessDeniedException: 'MODEL_ACCESS_DENIED',
  UnrecognizedClientException: 'MODEL_ACCESS_DENIED',
  InvalidSignatureException: 'MODEL_ACCESS_DENIED',
  ExpiredTokenException: 'MODEL_ACCESS_DENIED',
  CredentialsProviderError: 'MODEL_ACCESS_DENIED',
  ValidationException: 'VALIDATION',
  SerializationException: 'VALIDATION',
  ThrottlingException: 'THROTTLING',
  TooManyRequestsException: 'THROTTLING',
  ServiceQuotaExceededException: 'THROTTLING',
  ConflictException: 'THROTTLING',
  ResourceNotFoundException: 'RESOURCE_NOT_FOUND',
  TimeoutError: 'TIMEOUT',
  AbortError: 'TIMEOUT',
  RequestTimeout: 'TIMEOUT',
  RequestTimeoutException: 'TIMEOUT',
  ServiceUnavailableException: 'SERVICE_UNAVAILABLE',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  InternalServerException: 'SERVICE_UNAVAILABLE',
  InternalFailure: 'SERVICE_UNAVAILABLE',
  DependencyFailedException: 'SERVICE_UNAVAILABLE',
  BadGatewayException: 'SERVICE_UNAVAILABLE',
  ModelNotReadyException: 'SERVICE_UNAVAILABLE',
};

const BY_CODE: Readonly<Record<string, ErrorKind>> = {
  ETIMEDOUT: 'TIMEOUT',
  ESOCKETTIMEDOUT: 'TIMEOUT',
  ECONNREFUSED: 'SERVICE_UNAVAILABLE',
  ECONNRESET: 'SERVICE_UNAVAILABLE',
  EPIPE: 'SERVICE_UNAVAILABLE',
  ENOTFOUND: 'SERVICE_UNAVAILABLE',
  EAI_AGAIN: 'SERVICE_UNAVAILABLE',
  EHOSTUNREACH: 'SERVICE_UNAVAILABLE',
  ENETUNREACH: 'SERVICE_UNAVAILABLE',
};

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function byStatus(status: number): ErrorKind | undefined {
  if (status === 401 || status === 403) return 'MODEL_ACCESS_DENIED';
  if (status === 404) return 'RESOURCE_NOT_FOUND';
  if (status === 408 || status === 504) return 'TIMEOUT';
  if (status === 429) return 'THROTTLING';
  if (status === 400 || status === 413 || status === 422) return 'VALIDATION';
  if (status >= 500 && status <= 599) return 'SERVICE_UNAVAILABLE';
  return undefined;
}

/** Classifies an AWS SDK v3 exception (or a Node network error) into an ErrorKind. Never throws. */
export function classifyAwsError(error: unknown): ErrorKind {
  const name = field(error, 'name');
  if (typeof name === 'string' && name in BY_NAME) return BY_NAME[name] ?? 'UNKNOWN';
  const code = field(error, 'code');
  if (typeof code === 'string' && code in BY_CODE) return BY_CODE[code] ?? 'UNKNOWN';
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  if (typeof status === 'number') {
    const kind = byStatus(status);
    if (kind !== undefined) return kind;
  }
  // Node wraps socket errors (`fetch failed`, `connect ECONNREFUSED`) one level down.
  const cause = field(error, 'cause');
  if (cause !== undefined && cause !== error) {
    const inner = classifyAwsError(cause);
    if (inner !== 'UNKNOWN') return inner;
  }
  return 'UNKNOWN';
}

const MESSAGES: Readonly<Record<ErrorKind, string>> = {
  MODEL_ACCESS_DENIED:
    'Access denied: this role may not invoke the Bedrock agent or its model. Check the IAM policy ' +
    '(bedrock:InvokeAgent) and that model access is enabled in the Bedrock console for this region.',
  VALIDATION:
    'The request was rejected as invalid. Check the agent and alias ids, and shorten the input if it is very long.',
  THROTTLING:
    'Bedrock is throttling requests (rate or quota limit). Hikeshi retried with backoff; wait a minute and try ' +
    'again, or ask for a quota increase if it keeps happening.',
  RESOURCE_NOT_FOUND:
    'The agent or alias was not found. Check BEDROCK_AGENT_ID / BEDROCK_AGENT_ALIAS_ID, the region, and that ' +
    'the alias points at a prepared agent version.',
  TIMEOUT:
    'The request timed out before the agent answered. Try again; if it persists, check the agent in the console.',
  SERVICE_UNAVAILABLE:
    'The service (or something behind the agent, such as an action group or knowledge base) is unavailable or ' +
    'failed. Try again shortly and check the AWS Health Dashboard.',
  UNKNOWN: 'An unexpected error occurred. See the logs for details and try again.',
};

/** A short English explanation with the next step, safe to show in Slack. */
export function userMessageFor(kind: ErrorKind): string {
  return MESSAGES[kind];
}
