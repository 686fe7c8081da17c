import { brandErrorClass, hasErrorBrand } from '@xport/error-brand';

/**
 * A retry stopped because its AbortSignal fired. The signal's reason is kept as `reason` (and as
 * the standard `cause`), the failure that led to the cancelled wait as `lastError`.
 */
export class RetryAbortedError extends Error {
  static readonly brand: symbol = brandErrorClass(this, '@xport/resilience', 'RetryAbortedError');

  /** True for a RetryAbortedError from any copy of @xport/resilience (ESM or CJS, another version). */
  static isInstance(value: unknown): value is RetryAbortedError {
    return hasErrorBrand(value, RetryAbortedError.brand);
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
