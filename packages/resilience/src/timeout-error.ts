import { errorMarker, hasMarker, markPrototype } from './error-marker';

const marker = errorMarker('TimeoutError');

/**
 * The operation took longer than allowed. Marked retryable because a timeout is transient — but an
 * order that timed out may already be on the exchange, so order placement must not use the default
 * retry predicate.
 */
export class TimeoutError extends Error {
  /** True for a TimeoutError from any copy of this package (ESM, CommonJS, duplicate installs), where `instanceof` fails. */
  static isInstance(value: unknown): value is TimeoutError {
    return hasMarker(value, marker);
  }

  static {
    markPrototype(this.prototype, 'TimeoutError', marker);
  }

  readonly retryable = true;
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message = `Timed out after ${timeoutMs} ms`) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}
