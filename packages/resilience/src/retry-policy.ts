import { backoffDelayMs, JITTERS, type BackoffSettings, type Jitter } from './backoff';
import { systemClock, type Clock } from './clock';
import { attachAttempts, retryableMark, retryAfterMsOf } from './error-facts';
import { EventChannel, type Listener, type Subscribe } from './event-channel';
import type { Logger, LogLevel } from './logger';
import { start, type AsyncFunction, type Policy, type PolicyContext, type UntypedAsyncFunction } from './policy';
import { RetryAbortedError } from './retry-aborted-error';
import { finiteAtLeast, functionOption, integerAtLeast, nonNegativeMs, oneOf } from './validate';

/** How a RetryPolicy retries: how often, how long it waits, what it retries, and what it tells. */
export interface RetryOptions {
  /** Used in events and log lines. Default `retry`. */
  readonly name?: string | undefined;
  /** Retries after the first attempt; 3 means at most 4 attempts. Default 3. */
  readonly maxRetries?: number | undefined;
  /** The first retry's wait before jitter. Default 1000 ms. */
  readonly baseDelayMs?: number | undefined;
  /** No wait is longer, whatever the backoff or a Retry-After says. Default 30 000 ms. */
  readonly maxDelayMs?: number | undefined;
  /** Each wait grows by this factor (>= 1). Default 2: 1 s, 2 s, 4 s, 8 s. */
  readonly factor?: number | undefined;
  /** Default `full`. */
  readonly jitter?: Jitter | undefined;
  /**
   * Total time, from the first attempt's start, after which no retry is scheduled: a retry whose
   * wait would end past the budget is not made and the last error is thrown at once.
   */
  readonly budgetMs?: number | undefined;
  /** Which failures are retried. Default: the error says `retryable: true`. */
  readonly isRetryable?: ((error: unknown, attempt: number) => boolean) | undefined;
  /** The least wait before the next attempt (e.g. a 429's Retry-After). Default: `error.retryAfterMs`. */
  readonly retryAfter?: ((error: unknown) => number | undefined) | undefined;
  /** Cancels waits for every call of `wrap`ped functions (execute can pass its own as well). */
  readonly signal?: AbortSignal | undefined;
  readonly clock?: Clock | undefined;
  /** A source of numbers in [0, 1). Default Math.random. */
  readonly random?: (() => number) | undefined;
  readonly logger?: Logger | undefined;
  /** Subscribed at construction; the same as calling `onAttempt`. */
  readonly onAttempt?: Listener<RetryEvent> | undefined;
}

/** Why a retry stopped and threw. */
export type GiveUpReason = 'not_retryable' | 'exhausted' | 'budget_exceeded' | 'aborted';

/**
 * One per failed attempt (`retry` when another attempt follows, `give_up` when the error is
 * thrown), and `recovered` when an attempt after a failure succeeds. A first attempt that succeeds
 * emits nothing: that path stays free.
 */
export type RetryEvent =
  | {
      readonly type: 'retry';
      readonly policy: string;
      readonly attempt: number;
      readonly error: unknown;
      readonly delayMs: number;
    }
  | {
      readonly type: 'give_up';
      readonly policy: string;
      readonly attempt: number;
      readonly error: unknown;
      readonly reason: GiveUpReason;
    }
  | { readonly type: 'recovered'; readonly policy: string; readonly attempt: number };

type Verdict = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: GiveUpReason };

const GIVE_UP_LOG_LEVEL: Readonly<Record<GiveUpReason, LogLevel>> = {
  not_retryable: 'debug',
  exhausted: 'warn',
  budget_exceeded: 'warn',
  aborted: 'info',
};

const OWNER = 'RetryPolicy';

function isMarkedRetryable(error: unknown): boolean {
  return retryableMark(error) === true;
}

function eitherSignal(first: AbortSignal | undefined, second: AbortSignal | undefined): AbortSignal | undefined {
  if (first === undefined || second === undefined || first === second) return first ?? second;
  return AbortSignal.any([first, second]);
}

/**
 * Retry with exponential backoff and jitter. By default: up to 3 retries, waits growing from
 * 1 s by a factor of 2, with full jitter on top.
 *
 * Only failures the `isRetryable` predicate accepts are retried; anything else is thrown at once.
 * The error finally thrown is the last attempt's own error with `attempts` set on it; an abort
 * throws RetryAbortedError instead.
 */
export class RetryPolicy implements Policy {
  readonly name: string;
  readonly maxRetries: number;
  readonly backoff: BackoffSettings;
  readonly budgetMs: number | undefined;
  readonly onAttempt: Subscribe<RetryEvent>;

  readonly #events = new EventChannel<RetryEvent>();
  readonly #isRetryable: (error: unknown, attempt: number) => boolean;
  readonly #retryAfter: (error: unknown) => number | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #logger: Logger | undefined;

  constructor(options: RetryOptions = {}) {
    this.name = options.name ?? 'retry';
    this.maxRetries = integerAtLeast(OWNER, 'maxRetries', options.maxRetries ?? 3, 0);
    this.backoff = Object.freeze({
      baseDelayMs: nonNegativeMs(OWNER, 'baseDelayMs', options.baseDelayMs ?? 1000),
      maxDelayMs: nonNegativeMs(OWNER, 'maxDelayMs', options.maxDelayMs ?? 30_000),
      factor: finiteAtLeast(OWNER, 'factor', options.factor ?? 2, 1),
      jitter: oneOf(OWNER, 'jitter', options.jitter ?? 'full', JITTERS),
    });
    this.budgetMs = options.budgetMs === undefined ? undefined : nonNegativeMs(OWNER, 'budgetMs', options.budgetMs);
    this.#isRetryable = functionOption(OWNER, 'isRetryable', options.isRetryable ?? isMarkedRetryable);
    this.#retryAfter = functionOption(OWNER, 'retryAfter', options.retryAfter ?? retryAfterMsOf);
    this.#signal = options.signal;
    this.#clock = options.clock ?? systemClock;
    this.#random = functionOption(OWNER, 'random', options.random ?? Math.random);
    this.#logger = options.logger;
    this.onAttempt = this.#events.subscribe;
    if (options.onAttempt !== undefined) this.onAttempt(functionOption(OWNER, 'onAttempt', options.onAttempt));
  }

  /** Runs `operation` under this policy; `signal` (with the options' signal) cancels it. */
  execute<T>(operation: (context: PolicyContext) => PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    return this.#run(operation as UntypedAsyncFunction, undefined, undefined, eitherSignal(signal, this.#signal)) as Promise<T>;
  }

  /** The same function, retried. `this` and arguments pass through; each retry reuses the arguments. */
  wrap<F extends AsyncFunction>(fn: F): F {
    return RetryPolicy.#wrapper(this, fn as unknown as UntypedAsyncFunction) as unknown as F;
  }

  static #wrapper(policy: RetryPolicy, fn: UntypedAsyncFunction): UntypedAsyncFunction {
    return function retrying(this: unknown, ...args: unknown[]): Promise<unknown> {
      return policy.#run(fn, this, args, policy.#signal);
    };
  }

  /** `args` undefined: `fn` is an execute() operation and gets a fresh context per attempt. */
  #attempt(fn: UntypedAsyncFunction, thisArg: unknown, args: unknown[] | undefined, attempt: number, signal: AbortSignal | undefined): Promise<unknown> {
    return start(fn, thisArg, args ?? [{ attempt, signal }]);
  }

  // The first attempt costs one `.then`; everything that only failures need lives in its handler.
  #run(fn: UntypedAsyncFunction, thisArg: unknown, args: unknown[] | undefined, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted === true) return Promise.reject(new RetryAbortedError(signal.reason, 0, undefined));
    const startedAt = this.budgetMs === undefined ? 0 : this.#clock.now();
    return this.#attempt(fn, thisArg, args, 1, signal).then(undefined, (error: unknown) => {
      const verdict = this.#judge(error, 1, signal, startedAt, this.backoff.baseDelayMs);
      if (!verdict.retry) throw this.#giveUp(error, 1, verdict.reason, signal);
      this.#retrying(error, 1, verdict.delayMs);
      return this.#retryAfterWait(fn, thisArg, args, signal, startedAt, verdict.delayMs, error);
    });
  }

  async #retryAfterWait(
    fn: UntypedAsyncFunction,
    thisArg: unknown,
    args: unknown[] | undefined,
    signal: AbortSignal | undefined,
    startedAt: number,
    firstDelayMs: number,
    firstError: unknown,
  ): Promise<unknown> {
    let delayMs = firstDelayMs;
    let lastError = firstError;
    for (let attempt = 2; ; attempt++) {
      try {
        await this.#clock.sleep(delayMs, signal);
      } catch (sleepError) {
        if (signal?.aborted !== true) throw sleepError;
      }
      if (signal?.aborted === true) throw this.#giveUp(lastError, attempt - 1, 'aborted', signal);
      let value: unknown;
      try {
        value = await this.#attempt(fn, thisArg, args, attempt, signal);
      } catch (error) {
        const verdict = this.#judge(error, attempt, signal, startedAt, delayMs);
        if (!verdict.retry) throw this.#giveUp(error, attempt, verdict.reason, signal);
        delayMs = verdict.delayMs;
        lastError = error;
        this.#retrying(error, attempt, delayMs);
        continue;
      }
      this.#recovered(attempt);
      return value;
    }
  }

  #judge(error: unknown, attempt: number, signal: AbortSignal | undefined, startedAt: number, previousDelayMs: number): Verdict {
    if (!this.#askIsRetryable(error, attempt)) return { retry: false, reason: 'not_retryable' };
    if (attempt > this.maxRetries) return { retry: false, reason: 'exhausted' };
    if (signal?.aborted === true) return { retry: false, reason: 'aborted' };
    let delayMs = backoffDelayMs(this.backoff, attempt, previousDelayMs, this.#random());
    const floor = this.#askRetryAfter(error);
    if (floor !== undefined && floor > delayMs) delayMs = Math.min(floor, this.backoff.maxDelayMs);
    if (this.budgetMs !== undefined && this.#clock.now() - startedAt + delayMs > this.budgetMs) {
      return { retry: false, reason: 'budget_exceeded' };
    }
    return { retry: true, delayMs };
  }

  // A predicate that throws is a bug; the answer that cannot double an order is "do not retry".
  #askIsRetryable(error: unknown, attempt: number): boolean {
    try {
      return this.#isRetryable(error, attempt);
    } catch (predicateError) {
      this.#log('error', 'retry.predicate_failed', { policy: this.name, attempt, err: predicateError });
      return false;
    }
  }

  #askRetryAfter(error: unknown): number | undefined {
    try {
      const floor = this.#retryAfter(error);
      return typeof floor === 'number' && floor >= 0 ? floor : undefined;
    } catch (hookError) {
      this.#log('error', 'retry.retry_after_failed', { policy: this.name, err: hookError });
      return undefined;
    }
  }

  #retrying(error: unknown, attempt: number, delayMs: number): void {
    if (this.#events.active) this.#events.emit({ type: 'retry', policy: this.name, attempt, error, delayMs });
    this.#log('warn', 'retry.attempt', { policy: this.name, attempt, maxRetries: this.maxRetries, delayMs, err: error });
  }

  #recovered(attempt: number): void {
    if (this.#events.active) this.#events.emit({ type: 'recovered', policy: this.name, attempt });
    this.#log('info', 'retry.recovered', { policy: this.name, attempt });
  }

  #giveUp(error: unknown, attempts: number, reason: GiveUpReason, signal: AbortSignal | undefined): unknown {
    if (this.#events.active) this.#events.emit({ type: 'give_up', policy: this.name, attempt: attempts, error, reason });
    this.#log(GIVE_UP_LOG_LEVEL[reason], 'retry.give_up', { policy: this.name, attempt: attempts, reason, err: error });
    if (reason === 'aborted') return new RetryAbortedError(signal?.reason, attempts, error);
    attachAttempts(error, attempts);
    return error;
  }

  #log(level: LogLevel, message: string, fields: object): void {
    this.#logger?.[level]?.(fields, message);
  }
}

/** Runs `operation` once under a retry policy built from `options` (`options.signal` cancels it). */
export function retry<T>(operation: (context: PolicyContext) => PromiseLike<T>, options: RetryOptions = {}): Promise<T> {
  return new RetryPolicy(options).execute(operation);
}

/** `fn`, retried; the result has exactly `fn`'s type. Pass a RetryPolicy to share its events. */
export function withRetry<F extends AsyncFunction>(fn: F, options: RetryOptions | RetryPolicy = {}): F {
  return (options instanceof RetryPolicy ? options : new RetryPolicy(options)).wrap(fn);
}
