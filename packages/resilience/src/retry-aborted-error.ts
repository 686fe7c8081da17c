import { errorMarker, hasMarker, markPrototype } from './error-marker';

const marker = errorMarker('RetryAbortedError');

/**
 * A retry stopped because its AbortSignal fired. The signal's reason is kept as `reason` (and as
 * the standard `cause`), the failure that led to the cancelled wait as `lastError`.
 */
export class RetryAbortedError extends Error {
  /** True for a RetryAbortedError from any copy of this package (ESM, CommonJS, duplicate installs), where `instanceof` fails. */
  static isInstance(value: unknown): value is RetryAbortedError {
    return hasMarker(value, marker);
  }

  static {
    markPrototype(this.prototype, 'RetryAbortedError', marker);
  }

  readonly retryable = false;
  readonly reason: unknown;
  /** Attempts that were started; 0 when the signal had fired before the first one. */
  readonly attempts: number;
  readonly lastError: unknown;

  constructor(reason: unknown, attempts: number, lastError: unknown) {
    super(`Retry aborted after ${attempts} attempt${attempts === 1 ? '' : 's'}`, { cause: reason });
    this.reason = reason;
    this.attempts = attempts;
    this.lastError = lastError;
  }
}
