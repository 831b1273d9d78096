import { describe, expect, it } from 'vitest';
import { isJsonMediaType, mediaType, readJsonBody } from '../../src/ingress/json-body.js';

const body = (contentType: string | undefined, text: string) => ({
  headers: contentType === undefined ? {} : { 'content-type': contentType },
  rawBody: Buffer.from(text),
});

describe('readJsonBody', () => {
  it('parses a JSON body sent as application/json, with or without parameters', () => {
    expect(readJsonBody(body('application/json', '{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(readJsonBody(body('Application/JSON; charset=utf-8', '[1]'))).toEqual({ ok: true, value: [1] });
    expect(readJsonBody(body('application/vnd.api+json', '{}'))).toEqual({ ok: true, value: {} });
  });

  it('refuses other content types with 415, naming what is accepted', () => {
    expect(readJsonBody(body('text/plain', '{}'))).toEqual({
      ok: false,
      status: 415,
      reason: 'content-type must be application/json, got text/plain',
    });
    expect(readJsonBody(body(undefined, '{}'))).toMatchObject({ ok: false, status: 415 });
  });

  it('accepts extra media types when asked (SNS posts JSON as text/plain)', () => {
    expect(
      readJsonBody(body('text/plain; charset=UTF-8', '{"Type":"x"}'), { alsoAccept: ['text/plain'] }),
    ).toEqual({ ok: true, value: { Type: 'x' } });
  });

  it('answers 400 naming the body for malformed or empty JSON', () => {
    expect(readJsonBody(body('application/json', '{"title":'))).toMatchObject({
      ok: false,
      status: 400,
      field: 'body',
      reason: expect.stringMatching(/^body is not valid JSON/) as unknown,
    });
    expect(readJsonBody(body('application/json', '  '))).toEqual({
      ok: false,
      status: 400,
      field: 'body',
      reason: 'body is empty',
    });
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(readJsonBody(body('application/json', '\uFEFF{"a":true}'))).toEqual({
      ok: true,
      value: { a: true },
    });
  });
});

describe('media types', () => {
  it('lower-cases and drops parameters', () => {
    expect(mediaType('Text/Plain; charset=UTF-8')).toBe('text/plain');
    expect(mediaType('')).toBeUndefined();
  });

  it('knows JSON and +json types', () => {
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('application/problem+json')).toBe(true);
    expect(isJsonMediaType('application/x-www-form-urlencoded')).toBe(false);
    expect(isJsonMediaType(undefined)).toBe(false);
  });
});
