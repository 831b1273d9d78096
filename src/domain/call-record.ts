/**
 * One line of an incident's call history (the seed's CallHistory table: one item per errorId whose
 * `attempts` list grows), and the kinds a failed StartOutboundVoiceContact is classified into. Phone numbers
 * in a record are always masked: the history is shown in Slack and reports.
 */
import { classifyAwsError } from './classify.js';
import { isAppError } from '../errors.js';

export type CallEvent =
  /** StartOutboundVoiceContact accepted the call. */
  | 'started'
  /** It was refused (see errorKind): counts as no answer. */
  | 'failed'
  | 'accepted'
  | 'declined'
  | 'no_answer'
  /** No outcome within CALL_ANSWER_TIMEOUT_SECONDS: counts as no answer. */
  | 'timeout'
  /** The chain stopped: acknowledged or resolved elsewhere, or someone owns the error. */
  | 'stopped'
  /** Every round called, nobody took it. */
  | 'exhausted';

/** A type alias (not an interface) so it is a `Record<string, unknown>` for the repository. */
export type CallRecord = {
  /** ISO 8601. */
  at: string;
  event: CallEvent;
  /** 0 for chain events that belong to no call. */
  attempt: number;
  round?: number;
  /** Slack user id. */
  responderId?: string;
  /** Masked, e.g. `+81-***-***-0001`. */
  phone?: string;
  contactId?: string;
  errorKind?: CallErrorKind;
  detail?: string;
  /** An outcome that arrived for an earlier call of the chain, after it had moved on. */
  late?: boolean;
};

/**
 * Why a call could not be started. Connect's own exceptions first (the operator's fix differs: a bad number
 * is fixed in /oncall, a limit by AWS support), then the generic AWS kinds.
 * https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundVoiceContact.html#API_StartOutboundVoiceContact_Errors
 */
export type CallErrorKind =
  | 'THROTTLING'
  | 'LIMIT_EXCEEDED'
  | 'INVALID_NUMBER'
  | 'OUTBOUND_NOT_PERMITTED'
  | 'RESOURCE_NOT_FOUND'
  | 'INVALID_REQUEST'
  | 'ACCESS_DENIED'
  | 'TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  | 'UNKNOWN';

const BY_NAME: Readonly<Record<string, CallErrorKind>> = {
  ThrottlingException: 'THROTTLING',
  TooManyRequestsException: 'THROTTLING',
  LimitExceededException: 'LIMIT_EXCEEDED',
  ServiceQuotaExceededException: 'LIMIT_EXCEEDED',
  // Connect answers both for a number it cannot or may not dial (format, country not allowed).
  InvalidParameterException: 'INVALID_NUMBER',
  DestinationNotAllowedException: 'INVALID_NUMBER',
  OutboundContactNotPermittedException: 'OUTBOUND_NOT_PERMITTED',
  InvalidRequestException: 'INVALID_REQUEST',
  ResourceNotFoundException: 'RESOURCE_NOT_FOUND',
  InternalServiceException: 'SERVICE_UNAVAILABLE',
};

const FROM_AWS_KIND: Readonly<Record<string, CallErrorKind>> = {
  MODEL_ACCESS_DENIED: 'ACCESS_DENIED',
  VALIDATION: 'INVALID_REQUEST',
  THROTTLING: 'THROTTLING',
  RESOURCE_NOT_FOUND: 'RESOURCE_NOT_FOUND',
  TIMEOUT: 'TIMEOUT',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

/** Classifies an error from StartOutboundVoiceContact (an SDK exception or a network error). Never throws. */
export function classifyCallError(error: unknown): CallErrorKind {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (typeof name === 'string' && name in BY_NAME) return BY_NAME[name] ?? 'UNKNOWN';
  return FROM_AWS_KIND[classifyAwsError(error)] ?? 'UNKNOWN';
}

const CALL_ERROR_KINDS: readonly string[] = [
  ...new Set([...Object.values(BY_NAME), ...Object.values(FROM_AWS_KIND)]),
];

export function isCallErrorKind(value: unknown): value is CallErrorKind {
  return typeof value === 'string' && (value === 'UNKNOWN' || CALL_ERROR_KINDS.includes(value));
}

/**
 * The kind of a failed call placement: the one the phone adapter recorded on its AppError (`details.kind`),
 * else classified from the error itself.
 */
export function callErrorKindOf(error: unknown): CallErrorKind {
  const kind = isAppError(error) ? error.details?.['kind'] : undefined;
  return isCallErrorKind(kind) ? kind : classifyCallError(error);
}
