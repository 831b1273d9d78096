/**
 * Regressions found by the ingress fuzz tests (issue 11, R1): alert fields DynamoDB refuses used to fail the
 * write with a 500. They are now stored in a form it accepts.
 */
import { describe, expect, it } from 'vitest';
import {
  DETAILS_DEPTH_MAX,
  DETAILS_JSON_MAX,
  MESSAGE_MAX,
  clipText,
  storableDetails,
  storableFields,
} from '../../src/domain/storable.js';
import { storedDedupKey } from '../../src/store/dedup-repository.js';

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

describe('storable alert fields', () => {
  it('keeps numbers DynamoDB cannot hold exactly as the text they were', () => {
    expect(
      storableDetails({ tiny: 5e-324, huge: 1e308, unsafe: 2 ** 53 + 1, ok: 0.75, neg: -42, zero: -0 }),
    ).toEqual({ tiny: '5e-324', huge: '1e+308', unsafe: '9007199254740992', ok: 0.75, neg: -42, zero: -0 });
  });

  it('replaces what is nested too deep with a placeholder, and names empty keys', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i += 1) deep = { a: deep };
    const stored = storableDetails({
      deep: deep as Record<string, unknown>,
      '': 'empty key',
      list: [[[[]]]],
    });
    expect(depthOf(stored)).toBeLessThanOrEqual(DETAILS_DEPTH_MAX);
    expect(JSON.stringify(stored)).toContain(`nested deeper than ${DETAILS_DEPTH_MAX} levels`);
    expect(stored['(empty)']).toBe('empty key');
    expect(stored['list']).toEqual([[[[]]]]);
  });

  it('caps the size, saying how many fields were left out, and clips long strings', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, 'v'.repeat(100)]));
    const stored = storableDetails({ ...many, long: 'y'.repeat(900_000) });
    expect(JSON.stringify(stored).length).toBeLessThanOrEqual(DETAILS_JSON_MAX + 200);
    expect(String(stored['…'])).toMatch(/^\d+ more field\(s\) left out/);
    expect(String(storableDetails({ long: 'y'.repeat(900_000) })['long']).length).toBeLessThanOrEqual(2000);
  });

  it('keeps `__proto__` from JSON as data, never as a prototype', () => {
    const stored = storableDetails(JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(Object.keys(stored)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('clips the message without splitting a surrogate pair, and drops links nobody could follow', () => {
    const message = `${'a'.repeat(MESSAGE_MAX - 2)}🔥🔥`;
    const clipped = clipText(message, MESSAGE_MAX);
    expect(clipped.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(clipped.endsWith('…')).toBe(true);
    expect(Buffer.from(clipped, 'utf8').toString('utf8')).toBe(clipped);
    const fields = storableFields({
      message: 'm'.repeat(900_000),
      links: [
        { title: 't'.repeat(10_000), url: 'https://runbooks.example.com/a' },
        { title: 'too long', url: `https://example.com/${'x'.repeat(5000)}` },
      ],
    });
    expect(fields.message?.length).toBe(MESSAGE_MAX);
    expect(fields.links).toHaveLength(1);
    expect(fields.links[0]?.title.length).toBeLessThanOrEqual(300);
  });

  it('stores a dedup key over 1 KB as its SHA-256', () => {
    expect(storedDedupKey('sns:22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324')).toBe(
      'sns:22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    );
    expect(storedDedupKey(`sns:${'y'.repeat(100_000)}`)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
