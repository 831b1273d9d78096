/**
 * Reading a JSON request body after its credentials were checked: the content type first (415), then
 * `JSON.parse` (400 naming `body`). Routes that answer in a sender's own error format (Events v2) use
 * `readJsonBody`; the others use `jsonBody`, which throws for the router to map.
 */
import { AppError, ErrorCode, badRequest } from '../errors.js';
import type { ParseFailure } from '../domain/sources/parse-result.js';
import type { IngressRequest } from './types.js';

export type JsonBodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: 415; reason: string }
  | { ok: false; status: 400; field: 'body'; reason: string };

export interface JsonBodyOptions {
  /** Media types accepted besides `application/json` and `*\/*+json`, e.g. `text/plain` for Amazon SNS. */
  alsoAccept?: readonly string[];
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}

export function isJsonMediaType(type: string | undefined, alsoAccept: readonly string[] = []): boolean {
  if (type === undefined) return false;
  return (
    type === 'application/json' || /^[a-z]+\/[a-z0-9.+-]+\+json$/.test(type) || alsoAccept.includes(type)
  );
}

export function readJsonBody(
  request: Pick<IngressRequest, 'headers' | 'rawBody'>,
  options: JsonBodyOptions = {},
): JsonBodyResult {
  const type = mediaType(request.headers['content-type']);
  if (!isJsonMediaType(type, options.alsoAccept)) {
    const accepted = ['application/json', ...(options.alsoAccept ?? [])].join(' or ');
    return {
      ok: false,
      status: 415,
      reason: `content-type must be ${accepted}${type === undefined ? '' : `, got ${type}`}`,
    };
  }
  // A UTF-8 byte order mark is not JSON, but some Windows tools write one; it carries no meaning.
  const text = request.rawBody.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, status: 400, field: 'body', reason: 'body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return { ok: false, status: 400, field: 'body', reason: `body is not valid JSON${detail}` };
  }
}

/** The parsed body, or throws 415 / 400 for the router to answer. */
export function jsonBody(
  request: Pick<IngressRequest, 'headers' | 'rawBody'>,
  options: JsonBodyOptions = {},
): unknown {
  const result = readJsonBody(request, options);
  if (result.ok) return result.value;
  if (result.status === 415) {
    throw new AppError(ErrorCode.UnsupportedMediaType, result.reason, { userMessage: result.reason });
  }
  throw badRequest(result.reason, { field: result.field });
}

/** A source parser's failure as the 400 the router answers: `{error: "title: is required", field: "title"}`. */
export function invalidField(failure: Pick<ParseFailure, 'field' | 'reason'>): AppError {
  return badRequest(`${failure.field}: ${failure.reason}`, { field: failure.field });
}
