export { systemClock, type Clock } from './clock';
export { FakeClock } from './fake-clock';
export type { Logger, LogFn, LogLevel } from './logger';
export type { Listener, Subscribe, Unsubscribe } from './event-channel';
export { CircuitOpenError, type RefusingCircuitState } from './circuit-open-error';
export { TimeoutError } from './timeout-error';
export { RetryAbortedError } from './retry-aborted-error';
export { attemptsOf, retryableMark, retryAfterMsOf } from './error-facts';
export { backoffDelayMs, exponentialDelayMs, type BackoffSettings, type Jitter } from './backoff';
export { compose, type AsyncFunction, type Policy, type PolicyContext } from './policy';
export {
  retry,
  RetryPolicy,
  withRetry,
  type GiveUpReason,
  type RetryEvent,
  type RetryOptions,
} from './retry-policy';
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitStateChange,
  type CircuitTransitionReason,
} from './circuit-breaker';
export { parseCircuitSnapshot, type CircuitSnapshot, type CircuitState } from './circuit-snapshot';
export { withTimeout, type WithTimeoutOptions } from './with-timeout';
export { RateLimiter, type RateLimiterOptions, type RateLimiterUsage } from './rate-limiter';
export { circuitBreakerProtected, retryWithBackoff, type AsyncMethod, type AsyncMethodDecorator } from './decorators';
export {
  InProcessSharedState,
  type BudgetLimits,
  type RateBudget,
  type SharedCache,
  type SharedCircuit,
  type SharedState,
} from './shared-state';
