import { describe, expect, it } from 'vitest';
import { classifyAwsError, ERROR_KINDS, userMessageFor, type ErrorKind } from '../../src/domain/classify.js';

function named(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, ...extra });
}

describe('classifyAwsError', () => {
  const byName: [string, ErrorKind][] = [
    ['AccessDeniedException', 'MODEL_ACCESS_DENIED'],
    ['UnrecognizedClientException', 'MODEL_ACCESS_DENIED'],
    ['ExpiredTokenException', 'MODEL_ACCESS_DENIED'],
    ['ValidationException', 'VALIDATION'],
    ['ThrottlingException', 'THROTTLING'],
    ['TooManyRequestsException', 'THROTTLING'],
    ['ServiceQuotaExceededException', 'THROTTLING'],
    ['ConflictException', 'THROTTLING'],
    ['ResourceNotFoundException', 'RESOURCE_NOT_FOUND'],
    ['TimeoutError', 'TIMEOUT'],
    ['AbortError', 'TIMEOUT'],
    ['RequestTimeoutException', 'TIMEOUT'],
    ['ServiceUnavailableException', 'SERVICE_UNAVAILABLE'],
    ['InternalServerException', 'SERVICE_UNAVAILABLE'],
    ['DependencyFailedException', 'SERVICE_UNAVAILABLE'],
    ['BadGatewayException', 'SERVICE_UNAVAILABLE'],
    ['ModelNotReadyException', 'SERVICE_UNAVAILABLE'],
    ['SomethingNew', 'UNKNOWN'],
  ];
  it.each(byName)('%s → %s', (name, kind) => {
    expect(classifyAwsError(named(name))).toBe(kind);
  });

  it('falls back to Node error codes, nested causes and HTTP status', () => {
    expect(classifyAwsError(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('TIMEOUT');
    expect(
      classifyAwsError(
        new TypeError('fetch failed', { cause: Object.assign(new Error('c'), { code: 'ECONNREFUSED' }) }),
      ),
    ).toBe('SERVICE_UNAVAILABLE');
    expect(classifyAwsError(named('Weird', { $metadata: { httpStatusCode: 429 } }))).toBe('THROTTLING');
    expect(classifyAwsError(named('Weird', { $metadata: { httpStatusCode: 403 } }))).toBe(
      'MODEL_ACCESS_DENIED',
    );
    expect(classifyAwsError(named('Weird', { $metadata: { httpStatusCode: 502 } }))).toBe(
      'SERVICE_UNAVAILABLE',
    );
  });

  it('never throws on odd input', () => {
    for (const odd of [undefined, null, 42, 'text', {}, { name: 7 }])
      expect(classifyAwsError(odd)).toBe('UNKNOWN');
  });

  it('has a user message for every kind', () => {
    for (const kind of ERROR_KINDS) expect(userMessageFor(kind).length).toBeGreaterThan(20);
  });
});
