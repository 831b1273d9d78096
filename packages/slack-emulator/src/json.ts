/** JSON narrowing helpers: request arguments arrive as `unknown` and are read field by field. */
import type { JsonObject } from './types.js';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function parseJsonObject(text: string): JsonObject | undefined {
  const parsed = parseJson(text);
  return parsed.ok && isObject(parsed.value) ? parsed.value : undefined;
}

/** A string argument; form bodies carry everything as strings, JSON bodies may carry numbers. */
export function str<T extends object>(args: T, key: keyof T & string): string | undefined {
  const value = (args as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function num<T extends object>(args: T, key: keyof T & string): number | undefined {
  const value = (args as Record<string, unknown>)[key];
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Slack reads `true`, `1` and `"true"` as true. */
export function bool<T extends object>(args: T, key: keyof T & string): boolean {
  const value = (args as Record<string, unknown>)[key];
  return value === true || value === 1 || value === 'true' || value === '1';
}

/**
 * A field that form bodies carry as a JSON string (blocks, attachments, view, metadata) and JSON bodies carry
 * as a value. `missing` when absent, `invalid` when the string is not JSON.
 */
export function jsonField<T extends object>(
  args: T,
  key: keyof T & string,
): { kind: 'missing' } | { kind: 'invalid' } | { kind: 'value'; value: unknown } {
  const value = (args as Record<string, unknown>)[key];
  if (value === undefined || value === null || value === '') return { kind: 'missing' };
  if (typeof value !== 'string') return { kind: 'value', value };
  const parsed = parseJson(value);
  return parsed.ok ? { kind: 'value', value: parsed.value } : { kind: 'invalid' };
}
