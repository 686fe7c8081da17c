/** One log method: structured fields first, then the message (pino's argument order). */
export type LogFn = (fields: object, message: string) => void;

/**
 * The structural logger every policy accepts: pino, console and most structured loggers fit.
 * Messages are event names (`retry.attempt`, `circuit.state_change`); the facts are in `fields`.
 */
export interface Logger {
  readonly debug?: LogFn | undefined;
  readonly info?: LogFn | undefined;
  readonly warn?: LogFn | undefined;
  readonly error?: LogFn | undefined;
}

/** The levels a policy logs at. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
