/** What a policy tells the operation it runs. */
export interface PolicyContext {
  /** 1 for the first try; counts the tries of the innermost retry that has retried. */
  readonly attempt: number;
  /** Aborts when the caller gives up; pass it on to fetch or to withTimeout. */
  readonly signal: AbortSignal | undefined;
}

/** Any function returning a promise; `wrap` gives back exactly the type it was given. */
export type AsyncFunction = (...args: never[]) => Promise<unknown>;

/** The shape RetryPolicy and CircuitBreaker share, and what `compose` stacks. */
export interface Policy {
  /** Runs `operation` under the policy; `signal` cancels it. */
  execute<T>(operation: (context: PolicyContext) => PromiseLike<T>, signal?: AbortSignal): Promise<T>;
  /** The same function with the policy applied to every call. */
  wrap<F extends AsyncFunction>(fn: F): F;
}

/** The loose call signature behind `wrap`'s precise one. */
export type UntypedAsyncFunction = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/**
 * Calls `fn` and always hands back a native promise: a synchronous throw becomes a rejection, a
 * foreign thenable is adopted. Takes `this` and the arguments apart so that wrappers need no
 * closure per call.
 */
export function start(fn: UntypedAsyncFunction, thisArg: unknown, args: unknown[]): Promise<unknown> {
  try {
    const result: unknown = fn.apply(thisArg, args);
    return result instanceof Promise ? result : Promise.resolve(result);
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what was thrown, Error or not
    return Promise.reject(error);
  }
}

/**
 * Stacks policies, the first outermost: `compose(retryPolicy, breaker)` retries around the breaker,
 * so each retry is one breaker call and an open circuit (CircuitOpenError, never retryable) ends
 * the retry at once. `wrap` is the policies' own wrappers nested, so the fast path stays theirs.
 */
export function compose(...policies: readonly Policy[]): Policy {
  return {
    execute<T>(operation: (context: PolicyContext) => PromiseLike<T>, signal?: AbortSignal): Promise<T> {
      const run = (index: number, outer: PolicyContext): Promise<T> => {
        const policy = policies[index];
        if (policy === undefined) return start(operation as UntypedAsyncFunction, undefined, [outer]) as Promise<T>;
        return policy.execute(
          (inner) => run(index + 1, { attempt: inner.attempt > 1 ? inner.attempt : outer.attempt, signal: inner.signal }),
          outer.signal,
        );
      };
      return run(0, { attempt: 1, signal });
    },
    wrap<F extends AsyncFunction>(fn: F): F {
      return policies.reduceRight((wrapped, policy) => policy.wrap(wrapped), fn);
    },
  };
}
