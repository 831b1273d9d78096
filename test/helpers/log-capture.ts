/**
 * Captures what a real `createLogger` would write (JSON, every level, scrubber included), so tests can
 * assert on the exact bytes that would reach CloudWatch.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export interface LogCapture {
  logger: Logger;
  /** One string per log line, without the newline. */
  lines(): string[];
  /** Everything written, as one string. */
  text(): string;
  /** Lines parsed as JSON. */
  entries(): Record<string, unknown>[];
}

export function captureLogs(options: { secrets?: Iterable<string> } = {}): LogCapture {
  let written = '';
  // pino writes whole lines synchronously; the callback is called at once, so nothing is ever buffered.
  const destination = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      written += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      callback();
    },
  });
  const logger = createLogger({
    destination,
    secrets: options.secrets ?? [],
    level: 'trace',
    format: 'json',
  });
  const lines = (): string[] => written.split('\n').filter((line) => line !== '');
  return {
    logger,
    lines,
    text: () => written,
    entries: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
