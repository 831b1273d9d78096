/**
 * Shared-secret checks for the HTTP ingress: bearer tokens, routing keys, webhook secrets. Every comparison
 * goes through `safeEqual`, which compares SHA-256 digests with `timingSafeEqual`, so neither the content nor the
 * length of the expected value leaks through response timing.
 *
 * An unset secret follows one rule everywhere (README, "Local mode and production"): in local mode with the
 * local Slack emulator (`npm start` without Slack tokens) a documented local default is accepted and a warning is
 * logged once; in any other mode every request is refused with 401 naming the variable to set. A production
 * process whose configuration asks for a route refuses to start without its secret (src/config/rules.ts).
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { IngressRequest } from './types.js';

/** Accepted for token variables (ALERTS_API_TOKEN, …) when unset in local mode with the emulator. */
export const LOCAL_DEV_TOKEN = 'local-dev-token';
/** Accepted for webhook/job-report secrets when unset in local mode with the emulator. */
export const LOCAL_DEV_SECRET = 'local-dev-secret';

// One-shot hashing: about half the cost of createHash().update().digest() for a token (issue 10, B2).
const digest = (value: string | Buffer): Buffer => hash('sha256', value, 'buffer');

/** Constant-time equality whatever the lengths: both sides are hashed to 32 bytes first. */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerToken(headers: IngressRequest['headers']): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '');
  return match?.[1];
}

export function unauthorized(message: string): AppError {
  return new AppError(ErrorCode.Unauthorized, message, { userMessage: message });
}

/** Anything with `reveal()`: the config's `Secret`, without importing config here. */
export interface RevealableSecret {
  reveal(): string;
}

export interface SharedSecretOptions {
  /** What to tell the operator to set, e.g. `ALERTS_API_TOKEN`. */
  variable: string;
  value: RevealableSecret | string | undefined;
  /** Accepted when `value` is unset and `allowLocalDefault` is true. */
  localDefault: string;
  /** True only in local mode with the emulator (`usesLocalEmulator(config)`). */
  allowLocalDefault: boolean;
  logger: Logger;
  /** Used in the "missing" and "wrong" messages, e.g. `bearer token`. Default `token`. */
  credentialName?: string;
}

export interface SharedSecret {
  readonly variable: string;
  /** True when `presented` is the expected value. Throws 401 when the secret is not configured. */
  matches(presented: string | undefined): boolean;
  /** Throws 401 unless `presented` is the expected value (or when the secret is not configured). */
  verify(presented: string | undefined): void;
}

/**
 * One configured secret. Build it once per variable (the local-default warning is logged at construction, so
 * once per process) and share it between the routes that accept it.
 */
export function createSharedSecret(options: SharedSecretOptions): SharedSecret {
  const configured = typeof options.value === 'string' ? options.value : options.value?.reveal();
  const name = options.credentialName ?? 'token';
  // An empty secret is no secret (an empty header would match it): it counts as unset, like in the config.
  let expected: string | undefined = configured === '' ? undefined : configured;
  if (expected === undefined && options.allowLocalDefault) {
    expected = options.localDefault;
    // The local default is documented and public, so naming it in the log is safe and helpful.
    options.logger.warn(
      { variable: options.variable },
      `${options.variable} is not set: accepting the local default "${options.localDefault}" (emulator mode only)`,
    );
  }
  // The expected side's digest is computed once: one hash per request instead of two (issue 10, B1/B2).
  const expectedDigest = expected === undefined ? undefined : digest(expected);
  const matches = (presented: string | undefined): boolean => {
    if (expectedDigest === undefined) throw unauthorized(`${options.variable} is not configured`);
    return presented !== undefined && timingSafeEqual(digest(presented), expectedDigest);
  };
  return {
    variable: options.variable,
    matches,
    verify(presented) {
      if (matches(presented)) return;
      throw unauthorized(presented === undefined || presented === '' ? `missing ${name}` : `invalid ${name}`);
    },
  };
}

/** Verifies `Authorization: Bearer <token>` against `secret`; throws 401 otherwise. */
export function requireBearer(request: Pick<IngressRequest, 'headers'>, secret: SharedSecret): void {
  secret.verify(bearerToken(request.headers));
}
