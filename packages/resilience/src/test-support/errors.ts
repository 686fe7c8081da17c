/** Errors shaped like @xport/core's, which this package may not import. */
export function transientError(message = 'ECONNRESET', extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { retryable: true }, extra);
}

/** A business refusal (insufficient balance, invalid order): marked not retryable. */
export function refusalError(message = 'insufficient balance'): Error {
  return Object.assign(new Error(message), { retryable: false });
}

/** Captures log lines as [level, message, fields]. */
export function recordingLogger(): {
  readonly lines: [string, string, Record<string, unknown>][];
  readonly logger: Record<'debug' | 'info' | 'warn' | 'error', (fields: object, message: string) => void>;
} {
  const lines: [string, string, Record<string, unknown>][] = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void => {
      lines.push([level, message, fields as Record<string, unknown>]);
    };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}
