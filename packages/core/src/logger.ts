import { redact } from './redact';

export type LogFields = Record<string, unknown>;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What xport logs to. pino, console and `noopLogger` satisfy it as they are:
 * `logger.info({ event: 'exchange.order.placed', ... }, 'exchange.order.placed')`.
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const noop = (): void => undefined;

export const noopLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * Writes one structured event: `event` is a dotted name such as `exchange.order.recovered`; the
 * fields pass through `redact`, so credentials never reach the line.
 */
export function logEvent(logger: Logger, level: LogLevel, event: string, fields: LogFields = {}): void {
  logger[level]({ event, ...(redact(fields) as LogFields) }, event);
}
