import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
import type { CircuitState } from './circuit-snapshot';
import { systemClock, type Clock } from './clock';
import type { Logger } from './logger';
import type { Policy } from './policy';
import { RateLimiter, type RateLimiterUsage } from './rate-limiter';

/** The limits of one weight budget: `capacity` per fixed window of `intervalMs`, windows aligned to the clock. */
export interface BudgetLimits {
  readonly capacity: number;
  readonly intervalMs: number;
  /** Used in log lines; default the key. */
  readonly name?: string | undefined;
}

/**
 * A weight budget that may be shared beyond this process. RateLimiter is the in-process one; a
 * store shared by several processes (e.g. `@xport/redis`) gives the same semantics to all of them.
 *
 * - `acquire(weight)` resolves once `weight` is spent from the current window, waits otherwise;
 *   rejects with RangeError when the weight can never fit, with `signal.reason` on abort.
 * - `observe(used)` adopts a higher count the server reported for the current window.
 * - `penalise(ms)` holds every holder of the budget for `ms` from now; a longer pause stands.
 */
export interface RateBudget {
  readonly name: string;
  /** The budget as this process last saw it (a shared store's figures are as of the last call). */
  readonly usage: RateLimiterUsage;
  /**
   * Resolves once `weight` (default 1) is spent from the current window, waiting for a later one
   * when it does not fit; rejects with RangeError when the weight can never fit, and with
   * `signal.reason` on abort.
   */
  acquire(weight?: number, signal?: AbortSignal): Promise<void>;
  /** Adopts a higher count the server reported for the window holding `atTime` (default now). */
  observe(usedWeight: number, atTime?: number): void;
  /** Holds every holder of the budget for `retryAfterMs` from now; a longer pause already set stands. */
  penalise(retryAfterMs: number): void;
}

/** A circuit breaker whose state may be shared beyond this process; CircuitBreaker is the in-process one. */
export interface SharedCircuit extends Policy {
  readonly name: string;
  /** The state as this process last saw it. */
  readonly state: CircuitState;
}

/** Strings kept for a while under a key, loaded once however many holders ask at the same time. */
export interface SharedCache {
  /**
   * The value under `key` while it is fresh; otherwise `load()`'s value, kept for `ttlMs`. Callers
   * asking while a load is under way (here or, for a shared store, in another process) wait for it.
   */
  getOrLoad(key: string, ttlMs: number, load: () => Promise<string>): Promise<string>;
}

/**
 * Where state that several callers must agree on lives: weight budgets, circuit breakers and a
 * cache, each by key. Keys are the caller's (e.g. `binance|live|spot|ip:127.0.0.2`); the store
 * only keeps them apart. `InProcessSharedState` keeps everything in this process; a store such as
 * `@xport/redis` shares it among processes and machines.
 */
export interface SharedState {
  /**
   * The address this process's requests leave from, when the store was told (a label: IP budgets
   * are kept per address, so hosts behind different addresses do not share them).
   */
  readonly egress?: string | undefined;
  /** The budget under `key`; the first caller's limits create it. */
  budget(key: string, limits: BudgetLimits): RateBudget;
  /** The breaker under `key`; the first caller's options create it here (`clock`, `logger`, `isFailure` and listeners stay this process's). */
  breaker(key: string, options: CircuitBreakerOptions): SharedCircuit;
  readonly cache: SharedCache;
}

/** The in-process SharedState: RateLimiters, CircuitBreakers and a Map, one of each per name. */
export class InProcessSharedState implements SharedState {
  readonly #budgets = new Map<string, RateLimiter>();
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #clock: Clock | undefined;
  readonly #logger: Logger | undefined;
  readonly cache: SharedCache;

  readonly egress: string | undefined;

  constructor(options: { readonly clock?: Clock | undefined; readonly logger?: Logger | undefined; readonly egress?: string | undefined } = {}) {
    this.egress = options.egress;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.cache = new InProcessCache(() => (this.#clock ?? systemClock).now());
  }

  budget(key: string, limits: BudgetLimits): RateLimiter {
    let budget = this.#budgets.get(key);
    if (budget === undefined) {
      budget = new RateLimiter({ name: limits.name ?? key, capacity: limits.capacity, intervalMs: limits.intervalMs, clock: this.#clock, logger: this.#logger });
      this.#budgets.set(key, budget);
    }
    return budget;
  }

  breaker(key: string, options: CircuitBreakerOptions): CircuitBreaker {
    let breaker = this.#breakers.get(key);
    if (breaker === undefined) {
      // The breaker logs only to a logger of its own options, as a CircuitBreaker built alone does.
      breaker = new CircuitBreaker({ clock: this.#clock, name: key, ...options });
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }
}

class InProcessCache implements SharedCache {
  readonly #entries = new Map<string, { readonly value: string; readonly expiresAt: number }>();
  readonly #loading = new Map<string, Promise<string>>();

  constructor(readonly now: () => number) {}

  getOrLoad(key: string, ttlMs: number, load: () => Promise<string>): Promise<string> {
    const entry = this.#entries.get(key);
    if (entry !== undefined && this.now() < entry.expiresAt) return Promise.resolve(entry.value);
    let loading = this.#loading.get(key);
    if (loading === undefined) {
      loading = (async (): Promise<string> => {
        try {
          const value = await load();
          this.#entries.set(key, { value, expiresAt: this.now() + ttlMs });
          return value;
        } finally {
          this.#loading.delete(key);
        }
      })();
      this.#loading.set(key, loading);
    }
    return loading;
  }
}
