import type { Logger, LogLevel } from '@xport/core';

/** One line a RecordingLogger kept. */
export interface RecordedLine {
  readonly level: LogLevel;
  readonly fields: object;
  readonly message: string | undefined;
}

/** A Logger that keeps every line, so a test can search what an adapter would have written. */
export class RecordingLogger implements Logger {
  readonly lines: RecordedLine[] = [];

  /** Records a debug line. */
  debug(fields: object, message?: string): void {
    this.#record('debug', fields, message);
  }

  /** Records an info line. */
  info(fields: object, message?: string): void {
    this.#record('info', fields, message);
  }

  /** Records a warning. */
  warn(fields: object, message?: string): void {
    this.#record('warn', fields, message);
  }

  /** Records an error line. */
  error(fields: object, message?: string): void {
    this.#record('error', fields, message);
  }

  /** Each line as a log shipper would write it (fields serialised, errors with name, message and stack). */
  serialised(): string[] {
    return this.lines.map((line) => JSON.stringify({ level: line.level, message: line.message, fields: line.fields }, errorsAsText));
  }

  /** The `event` field of every line, in order. */
  events(): string[] {
    return this.lines.map((line) => (line.fields as { event?: unknown }).event).filter((event): event is string => typeof event === 'string');
  }

  #record(level: LogLevel, fields: object, message: string | undefined): void {
    this.lines.push({ level, fields, message });
  }
}

// JSON.stringify writes an Error as {}; a log shipper (pino's serialisers) writes its text, which is
// where a leaked credential would show.
function errorsAsText(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { ...Object.fromEntries(Object.entries(value)), name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  return value;
}
