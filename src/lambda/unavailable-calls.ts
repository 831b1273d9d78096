/**
 * What the Lambda stand-ins (unavailable.ts, unavailable-digests.ts) answer when something a function never runs
 * is called after all: an error naming the part and the function, so a wrong `without` list fails loudly.
 */
import { AppError, ErrorCode } from '../errors.js';

export function unavailable(what: string): AppError {
  const fn = process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? 'this';
  return new AppError(ErrorCode.Internal, `${what} is not bundled in the ${fn} Lambda function`, {
    details: { module: what },
  });
}

export function fail(what: string): () => never {
  return () => {
    throw unavailable(what);
  };
}

export function rejecting(what: string): () => Promise<never> {
  return () => Promise.reject(unavailable(what));
}
