/**
 * The failure half of every source parser's result: the first failing field as a dotted path (`title`,
 * `links.0.url`, `payload.summary`) and why, so the ingress route can answer 400 naming it.
 */
import type * as z from '../zod.js';

export interface ParseFailure {
  ok: false;
  field: string;
  reason: string;
}

/** The name used when the body itself is wrong (not JSON object, wrong top-level type). */
export const ROOT_FIELD = 'body';

export function failure(field: string, reason: string): ParseFailure {
  return { ok: false, field, reason };
}

/** The first zod issue as a ParseFailure. Zod reports issues in schema order, so "first" is stable. */
export function firstIssue(error: z.core.$ZodError): ParseFailure {
  const issue = error.issues[0];
  if (issue === undefined) return failure(ROOT_FIELD, 'invalid');
  const field = issue.path.length === 0 ? ROOT_FIELD : issue.path.map(String).join('.');
  return failure(field, describeIssue(issue));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return 'is required';
  return issue.message;
}

/** A plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === 'http:' || protocol === 'https:';
}
