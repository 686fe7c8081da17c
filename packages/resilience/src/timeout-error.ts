import { brandErrorClass, hasErrorBrand } from '@xport/error-brand';

/**
 * The operation took longer than allowed. Marked retryable because a timeout is transient — but an
 * order that timed out may already be on the exchange, so order placement must not use the default
 * retry predicate.
 */
export class TimeoutError extends Error {
  static readonly brand: symbol = brandErrorClass(this, '@xport/resilience', 'TimeoutError');

  /** True for a TimeoutError from any copy of @xport/resilience (ESM or CJS, another version). */
  static isInstance(value: unknown): value is TimeoutError {
    return hasErrorBrand(value, TimeoutError.brand);
  }

  readonly retryable = true;
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message = `Timed out after ${timeoutMs} ms`) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}
