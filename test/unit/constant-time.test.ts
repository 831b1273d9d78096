/**
 * Issue 11, R8: every credential comparison of ours is constant time — `timingSafeEqual` over two digests of the
 * same length, whatever was presented — so response timing tells nothing about the expected value or its length.
 * (The libraries' own checks, reviewed in docs/RELIABILITY.md: @octokit/webhooks-methods compares the fixed-length
 * `sha256=` strings with timingSafeEqual; Bolt uses tsscmp, a double HMAC.)
 */
import { createHmac } from 'node:crypto';
import type * as Crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const compared = vi.hoisted(() => [] as [number, number][]);

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    compared.push([a.byteLength, b.byteLength]);
    return actual.timingSafeEqual(a, b);
  };
  return { ...actual, default: { ...actual, timingSafeEqual }, timingSafeEqual };
});

const { createSharedSecret, safeEqual } = await import('../../src/ingress/auth.js');
const { isValidSlackSignature } = await import('../../src/ingress/adapters/slack-http-guard.js');
const { createLogger } = await import('../../src/logger.js');

beforeEach(() => {
  compared.length = 0;
});

describe('constant-time comparisons', () => {
  it('safeEqual hashes both sides to 32 bytes first, whatever their lengths', () => {
    expect(safeEqual('a', 'a-much-longer-expected-secret-value')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('same-secret', 'same-secret')).toBe(true);
    expect(compared).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });

  it('every shared secret (tokens, job secret, routing key) goes through it', () => {
    const secret = createSharedSecret({
      variable: 'ALERTS_API_TOKEN',
      value: 'alerts-token-123456',
      localDefault: 'local-dev-token',
      allowLocalDefault: false,
      logger: createLogger({ level: 'silent' }),
    });
    expect(secret.matches('x')).toBe(false);
    expect(secret.matches('alerts-token-123456')).toBe(true);
    expect(() => secret.verify('alerts-token-12345')).toThrow(/invalid token/);
    expect(compared).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });

  it('the Slack signature check compares 32-byte HMACs, and refuses stale or malformed headers before', () => {
    const body = Buffer.from('{"type":"event_callback"}');
    const now = 1_767_225_600;
    const sign = (secret: string, ts: number) =>
      `v0=${createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest('hex')}`;
    const check = (signature: string | undefined, timestamp: string | undefined) =>
      isValidSlackSignature({
        signingSecret: 'signing-secret-1',
        signature,
        timestamp,
        body,
        nowSeconds: now,
      });
    expect(check(sign('signing-secret-1', now), String(now))).toBe(true);
    expect(check(sign('another-secret', now), String(now))).toBe(false);
    expect(compared).toEqual([
      [32, 32],
      [32, 32],
    ]);
    compared.length = 0;
    expect(check(sign('signing-secret-1', now - 301), String(now - 301))).toBe(false); // stale
    expect(check('v0=abc', String(now))).toBe(false); // not a digest
    expect(check(undefined, String(now))).toBe(false);
    expect(check(sign('signing-secret-1', now), undefined)).toBe(false);
    expect(compared).toEqual([]);
  });
});
