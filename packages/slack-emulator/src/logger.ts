/**
 * What the emulator logs through: pino's (and most structured loggers') `(fields, message)` shape, so a host app
 * passes its own logger as it is. The emulator never requires one.
 */
export interface EmulatorLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
