/** The `Secret` wrapper every secret setting is held in (config/types.ts). */
export const REDACTED = '[redacted]';
const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret string that cannot leak by accident: template strings, `String()`, `JSON.stringify`, pino and
 * `console.log`/`util.inspect` all see `[redacted]`. Only `reveal()` gives the value, at the SDK call.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectCustom](): string {
    return REDACTED;
  }
}
