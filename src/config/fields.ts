/**
 * Field schemas of the configuration's variables (src/config/variables.ts): each turns one trimmed, non-empty
 * string into its typed value or a reason. Reasons for secret variables never include the value.
 */
import * as z from '../domain/zod.js';
import type { LogLevel } from '../logger.js';
import { Secret } from './secret.js';

export class Invalid {
  constructor(readonly reason: string) {}
}

export const got = (value: string): string =>
  `got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`;

export function field<T>(parse: (value: string) => T | Invalid) {
  return z.pipe(
    z.string(),
    z.transform((value: string, ctx): T => {
      const result = parse(value);
      if (result instanceof Invalid) {
        ctx.issues.push({ code: 'custom', message: result.reason, input: value });
        return z.NEVER;
      }
      return result;
    }),
  );
}

export const text = z.string();

export function oneOf<const T extends string>(values: readonly T[]) {
  return field((value) =>
    (values as readonly string[]).includes(value)
      ? (value as T)
      : new Invalid(`expected one of ${values.join(', ')}, ${got(value)}`),
  );
}

export function integer(min: number, max: number, expected: string) {
  return field((value) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    return Number.isSafeInteger(n) && n >= min && n <= max
      ? n
      : new Invalid(`expected ${expected}, ${got(value)}`);
  });
}

export function httpUrl(value: string): URL | Invalid {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  return new Invalid(`expected an http(s) URL, ${got(value)}`);
}

/** A URL without a trailing slash, so adapters can append `/rooms/…`. */
export const baseUrl = field((value) => {
  const url = httpUrl(value);
  return url instanceof Invalid ? url : url.href.replace(/\/+$/, '');
});

/** Bolt's `slackApiUrl` is joined with method names, so it must end in `/api/`. */
export const slackApiUrl = field((value) => {
  const url = httpUrl(value);
  if (url instanceof Invalid) return url;
  if (url.pathname.endsWith('/api')) url.pathname += '/';
  if (!url.pathname.endsWith('/api/') || url.search !== '' || url.hash !== '') {
    return new Invalid(`expected a URL ending in /api/ (e.g. http://127.0.0.1:3000/api/), ${got(value)}`);
  }
  return url.href;
});

export function secret(prefixes: readonly string[] = []) {
  return field((value) =>
    prefixes.length === 0 || prefixes.some((p) => value.startsWith(p))
      ? new Secret(value)
      : new Invalid(`expected a value starting with ${prefixes.join(' or ')} (value not shown)`),
  );
}

export const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  fatal: 'fatal',
  critical: 'fatal', // Python's name; the seed Lambdas use Python's LOG_LEVEL values (INFO, WARNING, …)
  error: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  silent: 'silent',
};
export const logLevel = field(
  (value) =>
    LOG_LEVELS[value.toLowerCase()] ??
    new Invalid(`expected one of fatal, error, warn, info, debug, trace, silent (any case), ${got(value)}`),
);

export interface VariableSpec {
  readonly schema: z.ZodMiniType<unknown, string | undefined>;
  readonly secretKey?: string;
  readonly secret?: true;
  readonly default?: string;
  readonly description: string;
}
