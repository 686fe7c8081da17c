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

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
