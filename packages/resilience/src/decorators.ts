import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import type { AsyncFunction, Policy } from './policy';
import { RetryPolicy, type RetryOptions } from './retry-policy';

/** An async method of `This`, as a TC39 method decorator receives it. */
export type AsyncMethod<This, Args extends unknown[], Result> = (this: This, ...args: Args) => Promise<Result>;

/** A TC39 (stage 3) decorator for async methods of `This`, as `retryWithBackoff` and `circuitBreakerProtected` return. */
export type AsyncMethodDecorator<This> = <T extends This, Args extends unknown[], Result>(
  method: AsyncMethod<T, Args, Result>,
  context: ClassMethodDecoratorContext<T, AsyncMethod<T, Args, Result>>,
) => AsyncMethod<T, Args, Result>;

/** A fixed policy wraps the method once; a function of the instance picks the policy per call. */
function decorateWith<This>(policy: Policy | ((instance: This) => Policy)): AsyncMethodDecorator<This> {
  return (method) => {
    if (typeof policy === 'function') {
      return function (this, ...args) {
        return policy(this).execute(() => method.apply(this, args));
      };
    }
    // `wrap` keeps any function type; a generic parameter list needs the cast to show it is one.
    return policy.wrap(method as typeof method & AsyncFunction);
  };
}

/**
 * Standard (TC39) method decorator: the method, retried. Stack it above `@circuitBreakerProtected`
 * so that retry is outside the breaker: every attempt counts with the breaker, and its refusal
 * (CircuitOpenError, never retryable) ends the retry at once:
 *
 *     @retryWithBackoff({ maxRetries: 3 })
 *     @circuitBreakerProtected(venueBreaker)
 *     async fetchBalances() { ... }
 *
 * Takes options (one policy for the method, built once), a RetryPolicy, or a function of the
 * instance returning its policy (for per-instance clocks and loggers).
 */
export function retryWithBackoff<This = unknown>(
  source: RetryOptions | RetryPolicy | ((instance: This) => RetryPolicy) = {},
): AsyncMethodDecorator<This> {
  return decorateWith(typeof source === 'function' || source instanceof RetryPolicy ? source : new RetryPolicy(source));
}

/**
 * Standard (TC39) method decorator: the method behind a circuit breaker. Takes a breaker (share
 * one per venue), options (one breaker for this method across all instances, as the original
 * design's decorator did), or a function of the instance returning its breaker.
 */
export function circuitBreakerProtected<This = unknown>(
  source: CircuitBreakerOptions | CircuitBreaker | ((instance: This) => CircuitBreaker) = {},
): AsyncMethodDecorator<This> {
  return decorateWith(typeof source === 'function' || source instanceof CircuitBreaker ? source : new CircuitBreaker(source));
}
