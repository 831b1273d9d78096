import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/index.js';
import { isAppError } from '../../src/errors.js';
import {
  LOCAL_DEV_TOKEN,
  bearerToken,
  createSharedSecret,
  requireBearer,
  safeEqual,
  type SharedSecretOptions,
} from '../../src/ingress/auth.js';
import { captureLogs } from '../helpers/log-capture.js';

function thrown(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return { status: error.status, message: error.userMessage ?? error.message };
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('safeEqual', () => {
  it('is true only for identical values', () => {
    expect(safeEqual('s3cret-token', 's3cret-token')).toBe(true);
    expect(safeEqual('s3cret-token', 's3cret-tokem')).toBe(false);
    expect(safeEqual(Buffer.from('abc'), 'abc')).toBe(true);
  });

  it('compares values of different lengths without throwing (timingSafeEqual alone would)', () => {
    expect(safeEqual('short', 'a much longer value than the other')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer authorization header, in any case of the scheme', () => {
    expect(bearerToken({ authorization: 'Bearer abc.def-123' })).toBe('abc.def-123');
    expect(bearerToken({ authorization: 'bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: '  BEARER   abc  ' })).toBe('abc');
  });

  it('is undefined for a missing header, another scheme or an empty token', () => {
    expect(bearerToken({})).toBeUndefined();
    expect(bearerToken({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer a b' })).toBeUndefined();
  });
});

describe('createSharedSecret', () => {
  const options = (overrides: Partial<SharedSecretOptions>): SharedSecretOptions => ({
    variable: 'ALERTS_API_TOKEN',
    value: new Secret('configured-token'),
    localDefault: LOCAL_DEV_TOKEN,
    allowLocalDefault: false,
    logger: captureLogs().logger,
    credentialName: 'bearer token',
    ...overrides,
  });

  it('accepts the configured value and refuses anything else with 401', () => {
    const secret = createSharedSecret(options({}));
    expect(secret.matches('configured-token')).toBe(true);
    expect(secret.matches('wrong')).toBe(false);
    expect(() => secret.verify('configured-token')).not.toThrow();
    expect(thrown(() => secret.verify('wrong'))).toEqual({ status: 401, message: 'invalid bearer token' });
    expect(thrown(() => secret.verify(undefined))).toEqual({ status: 401, message: 'missing bearer token' });
  });

  it('does not accept the local default when a value is configured, even in emulator mode', () => {
    const secret = createSharedSecret(options({ allowLocalDefault: true }));
    expect(secret.matches(LOCAL_DEV_TOKEN)).toBe(false);
  });

  it('in emulator mode accepts the documented local default when unset, and warns once', () => {
    const logs = captureLogs();
    const secret = createSharedSecret(
      options({ value: undefined, allowLocalDefault: true, logger: logs.logger }),
    );
    expect(secret.matches(LOCAL_DEV_TOKEN)).toBe(true);
    expect(secret.matches('anything-else')).toBe(false);
    secret.matches(LOCAL_DEV_TOKEN);
    const warnings = logs.entries().filter((e) => e['level'] === 40);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.['msg'])).toContain('ALERTS_API_TOKEN is not set');
  });

  it('outside emulator mode refuses every request when unset, naming the variable', () => {
    const secret = createSharedSecret(options({ value: undefined }));
    expect(thrown(() => secret.verify(LOCAL_DEV_TOKEN))).toEqual({
      status: 401,
      message: 'ALERTS_API_TOKEN is not configured',
    });
    expect(thrown(() => secret.matches('x'))).toMatchObject({ status: 401 });
  });

  it('counts an empty value as unset, so an empty header never matches it', () => {
    for (const value of ['', new Secret('')]) {
      const secret = createSharedSecret(options({ value }));
      expect(thrown(() => secret.matches(''))).toEqual({
        status: 401,
        message: 'ALERTS_API_TOKEN is not configured',
      });
    }
  });

  it('accepts a plain string value too', () => {
    expect(createSharedSecret(options({ value: 'plain' })).matches('plain')).toBe(true);
  });
});

describe('requireBearer', () => {
  const secret = createSharedSecret({
    variable: 'ALERTS_API_TOKEN',
    value: 'tok-123456',
    localDefault: LOCAL_DEV_TOKEN,
    allowLocalDefault: false,
    logger: captureLogs().logger,
    credentialName: 'bearer token',
  });

  it('passes the right token and refuses a wrong or missing one', () => {
    expect(() => requireBearer({ headers: { authorization: 'Bearer tok-123456' } }, secret)).not.toThrow();
    expect(thrown(() => requireBearer({ headers: { authorization: 'Bearer tok-1234567' } }, secret))).toEqual(
      {
        status: 401,
        message: 'invalid bearer token',
      },
    );
    expect(thrown(() => requireBearer({ headers: {} }, secret))).toEqual({
      status: 401,
      message: 'missing bearer token',
    });
  });
});
