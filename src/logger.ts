/**
 * Logging: pino, JSON in production and readable locally. Two layers keep secrets and phone numbers out:
 * `redact` removes known secret-bearing fields, and a last-chance scrubber rewrites every line before it is
 * written, masking E.164 numbers and replacing any registered secret value wherever it appears (a token
 * echoed inside an SDK error message, a URL, a stack trace).
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import { maskPhonesInText } from './domain/phone.js';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty';
  /** Where lines go; tests pass a capturing stream. Defaults to stdout. */
  destination?: DestinationStream;
  /** Values that must never appear in a log line, whatever field or message carries them. */
  secrets?: Iterable<string>;
}

const REDACT_PATHS = [
  'token',
  'secret',
  'password',
  'apiKey',
  'authorization',
  '*.token',
  '*.secret',
  '*.password',
  '*.apiKey',
  '*.authorization',
  // A leading `*` matches exactly one level, so each credential header is listed both bare and inside a
  // request-like wrapper (`req`, `request`, an API Gateway `event`, whose v1 header names keep their case).
  ...[
    'authorization',
    'Authorization',
    'x-tc-portal-webhook-secret',
    'x-gitlab-token',
    'x-slack-signature',
    'x-hub-signature-256',
    'x-chatworktoken',
  ].flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/** Scrubs one serialized log line. Exported for the tests and for other sinks (Chatwork, Slack text). */
export function createScrubber(secrets: Iterable<string>): (line: string) => string {
  // Short values would mask ordinary words; a real token is never this short.
  const values = [...new Set(secrets)].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
  return (line: string) => {
    let out = line;
    for (const value of values) {
      if (out.includes(value)) out = out.split(value).join('[redacted]');
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value && out.includes(escaped)) out = out.split(escaped).join('[redacted]');
    }
    return maskPhonesInText(out);
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const scrub = createScrubber(options.secrets ?? []);
  const destination =
    options.destination ??
    (options.format === 'pretty'
      ? pretty({
          colorize: process.stdout.isTTY,
          sync: true,
          translateTime: 'HH:MM:ss.l',
          ignore: 'pid,hostname,service',
        })
      : pino.destination({ sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'hikeshi' },
      hooks: { streamWrite: scrub },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
