/** Reading the app's JSON (blocks, views) without trusting its shape. */
import type { JsonObject } from '../../types.js';

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (o: JsonObject, key: string): string => (typeof o[key] === 'string' ? o[key] : '');
export const list = (o: JsonObject, key: string): JsonObject[] => {
  const value = o[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
};
