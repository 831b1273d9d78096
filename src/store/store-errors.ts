/**
 * One place maps DynamoDB failures. Repositories call `storeCall`: a failed condition is an expected outcome
 * (the caller decides what it means), anything else becomes `AppError(StoreUnavailable)` carrying the SDK
 * error as `cause`, so callers never see a raw SDK exception.
 */
import { AppError, ErrorCode, isAppError } from '../errors.js';

export function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') {
    return error.name;
  }
  return undefined;
}

export function isConditionFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

export function storeError(operation: string, table: string, error: unknown): AppError {
  if (isAppError(error)) return error;
  const name = errorName(error) ?? 'Error';
  return new AppError(ErrorCode.StoreUnavailable, `DynamoDB ${operation} on ${table} failed: ${name}`, {
    cause: error,
    details: { operation, table, error: name },
  });
}

/** Runs an SDK call; everything but a failed condition is wrapped. */
export async function storeCall<T>(operation: string, table: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isConditionFailed(error)) throw error;
    throw storeError(operation, table, error);
  }
}

/** Runs a conditional write: true when it happened, false when its condition did not hold. */
export async function conditionalWrite(
  operation: string,
  table: string,
  fn: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw storeError(operation, table, error);
  }
}

export function conflict(message: string, details: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.Conflict, message, {
    details,
    userMessage: 'Someone else changed this at the same time; reload and try again.',
  });
}

/**
 * What the embedded store's calls get while it cannot serve (reopening after a failure, or closed; embedded.ts).
 * Its message is the store's own words, without paths: safe to show (`GET /health`).
 */
export class EmbeddedStoreUnavailable extends Error {
  // Like a refused socket to the SDK's retry strategy: a transient fault.
  readonly code = 'ECONNREFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedStoreUnavailable';
  }
}

/** Why a read failed, for `GET /health`: the embedded store's own words, or the error's name or code. */
export function probeFailure(error: unknown): string {
  if (error instanceof EmbeddedStoreUnavailable) return error.message;
  const name = errorName(error);
  if (name !== undefined && name !== 'Error') return name;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'the read failed';
}
