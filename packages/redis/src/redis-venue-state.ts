import { CircuitBreaker, CircuitOpenError, systemClock } from '@xport/resilience';
import type {
  AsyncFunction,
  BudgetLimits,
  CircuitBreakerOptions,
  CircuitState,
  CircuitStateChange,
  CircuitTransitionReason,
  Clock,
  Logger,
  PolicyContext,
  RateBudget,
  RateLimiterUsage,
  SharedCache,
  SharedCircuit,
  SharedState,
} from '@xport/resilience';
import { setTimeout as sleepReal } from 'node:timers/promises';

import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

import { BREAKER_SCRIPT, BUDGET_SCRIPT } from './scripts';

/** How a RedisVenueState reaches Redis and names its keys. */
export interface RedisVenueStateOptions {
  /** An ioredis client to use (it stays the caller's to close), or a URL. Default `redis://127.0.0.1:6379`. */
  readonly redis?: Redis | string | undefined;
  /** Extra ioredis options when the state opens its own connection from a URL. */
  readonly redisOptions?: RedisOptions | undefined;
  /** Prefix of every key. Default `xport:`; use a hash tag (`{xport}:`) on Redis Cluster. */
  readonly keyPrefix?: string | undefined;
  /**
   * The address this worker's requests leave from (a label: `'127.0.0.2'`, `'nat-eu-1'`). IP budgets
   * are kept per address, so workers behind one address share one and workers behind another get
   * their own. Default `default`.
   */
  readonly egress?: string | undefined;
  /**
   * Time for the scripts when given (tests with fake time); by default the scripts read Redis's own
   * clock, one clock for every worker whatever their drift. Waits always run on this clock.
   */
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** How long breaker state lives in Redis after its last use. Default 24 h. */
  readonly breakerTtlMs?: number | undefined;
  /** How long one worker may take to load a cached value before another tries. Default 60 s. */
  readonly loadLockMs?: number | undefined;
  /** How often a worker waiting for another's load looks again. Default 50 ms. */
  readonly loadPollMs?: number | undefined;
  /** How long to wait before trying Redis again after a failed command. Default 250 ms. */
  readonly reconnectWaitMs?: number | undefined;
}

interface Scripts {
  xportBudget(budget: string, pause: string, marker: string, op: string, amount: number, capacity: number, intervalMs: number, now: string, known: string, at: string): Promise<number[]>;
  xportBreaker(key: string, op: string, generation: number, unused1: string, unused2: string, now: string, failureThreshold: number, openDurationMs: number, halfOpenMaxTrials: number, successThreshold: number, ttlMs: number): Promise<[number, number, string, number]>;
}

type ScriptedRedis = Redis & Scripts;

const DEFAULT_URL = 'redis://127.0.0.1:6379';

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function positive(owner: string, field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`${owner}: ${field} must be a positive number of milliseconds, got ${describe(value)}`);
  return value;
}

/**
 * The SharedState on Redis: request budgets, circuit breakers and a cache that every worker
 * connected to the same Redis (and key prefix) shares. Give it to the adapters as `venueState`.
 *
 * When Redis is unreachable, budget and breaker calls wait for it (nothing is sent unaccounted);
 * when it comes back without its data, budgets restart counting the current window as spent.
 */
export class RedisVenueState implements SharedState {
  readonly egress: string;
  readonly cache: SharedCache;
  readonly #redis: ScriptedRedis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #clock: Clock;
  readonly #scriptClock: Clock | undefined;
  readonly #logger: Logger | undefined;
  readonly #breakerTtlMs: number;
  readonly #reconnectWaitMs: number;
  readonly #budgets = new Map<string, RedisRateBudget>();
  readonly #breakers = new Map<string, RedisCircuit>();
  /** Whether this client has seen the store's marker: its absence afterwards means the state was lost. */
  #known = false;

  constructor(options: RedisVenueStateOptions = {}) {
    const owner = 'RedisVenueState';
    const redis = options.redis ?? DEFAULT_URL;
    if (typeof redis === 'string') {
      // Commands wait for a reconnect instead of failing after a few tries: a worker carries on when Redis is back.
      this.#redis = new Redis(redis, { maxRetriesPerRequest: null, ...options.redisOptions }) as ScriptedRedis;
      this.#ownsClient = true;
      // ioredis reconnects by itself; a refused connection is worth a log line, not a crash.
      this.#redis.on('error', (error: Error) => options.logger?.warn?.({ err: error.message }, 'redis.connection.error'));
    } else if (typeof redis === 'object' && typeof (redis as { evalsha?: unknown }).evalsha === 'function') {
      this.#redis = redis as ScriptedRedis;
      this.#ownsClient = false;
    } else {
      throw new TypeError(`${owner}: redis must be an ioredis client or a redis:// URL, got ${typeof redis}`);
    }
    const prefix = options.keyPrefix ?? 'xport:';
    if (typeof prefix !== 'string') throw new TypeError(`${owner}: keyPrefix must be a string, got ${describe(prefix)}`);
    const egress = options.egress ?? 'default';
    if (typeof egress !== 'string' || !/^[\x21-\x7E]{1,100}$/.test(egress)) throw new TypeError(`${owner}: egress must be 1-100 printable ASCII characters, got ${describe(egress)}`);
    this.#prefix = prefix;
    this.egress = egress;
    this.#clock = options.clock ?? systemClock;
    this.#scriptClock = options.clock;
    this.#logger = options.logger;
    this.#breakerTtlMs = positive(owner, 'breakerTtlMs', options.breakerTtlMs, 86_400_000);
    this.#reconnectWaitMs = positive(owner, 'reconnectWaitMs', options.reconnectWaitMs, 250);
    this.#redis.defineCommand('xportBudget', { numberOfKeys: 3, lua: BUDGET_SCRIPT });
    this.#redis.defineCommand('xportBreaker', { numberOfKeys: 1, lua: BREAKER_SCRIPT });
    this.cache = new RedisCache(this, positive(owner, 'loadLockMs', options.loadLockMs, 60_000), positive(owner, 'loadPollMs', options.loadPollMs, 50));
  }

  /** The ioredis client (for the cache, and for tests that look at the keys). */
  get redis(): Redis {
    return this.#redis;
  }

  get keyPrefix(): string {
    return this.#prefix;
  }

  get clock(): Clock {
    return this.#clock;
  }

  get reconnectWaitMs(): number {
    return this.#reconnectWaitMs;
  }

  get logger(): Logger | undefined {
    return this.#logger;
  }

  budget(key: string, limits: BudgetLimits): RateBudget {
    let budget = this.#budgets.get(key);
    if (budget === undefined) {
      budget = new RedisRateBudget(this, key, limits);
      this.#budgets.set(key, budget);
    }
    return budget;
  }

  breaker(key: string, options: CircuitBreakerOptions): SharedCircuit {
    let breaker = this.#breakers.get(key);
    if (breaker === undefined) {
      breaker = new RedisCircuit(this, key, options);
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Closes the connection when this state opened it; a client passed in stays open. */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit().catch(() => { this.#redis.disconnect(); });
  }

  /** @internal One budget operation, atomically in Redis. */
  async runBudget(key: string, op: 'acquire' | 'observe' | 'penalise' | 'peek', amount: number, limits: BudgetLimits, at?: number): Promise<BudgetAnswer> {
    const [granted, waitMs, used, windowStart, pausedUntil, now] = await this.#redis.xportBudget(
      `${this.#prefix}budget:${key}`,
      `${this.#prefix}pause:${key}`,
      `${this.#prefix}marker`,
      op,
      amount,
      limits.capacity,
      limits.intervalMs,
      this.#now(),
      this.#known ? '1' : '0',
      at === undefined || this.#scriptClock === undefined ? '' : String(at),
    );
    this.#known = true;
    return { granted: granted === 1, waitMs: waitMs ?? 0, used: used ?? 0, windowStart: windowStart ?? 0, pausedUntil: pausedUntil ?? 0, now: now ?? 0 };
  }

  /** @internal One breaker operation, atomically in Redis. */
  async runBreaker(key: string, op: string, generation: number, settings: CircuitBreaker): Promise<{ admitted: boolean; generation: number; state: CircuitState; retryAfterMs: number }> {
    const [admitted, gen, state, retry] = await this.#redis.xportBreaker(
      `${this.#prefix}breaker:${key}`,
      op,
      generation,
      '',
      '',
      this.#now(),
      settings.failureThreshold,
      settings.openDurationMs,
      settings.halfOpenMaxTrials,
      settings.successThreshold,
      this.#breakerTtlMs,
    );
    return { admitted: admitted === 1, generation: gen, state: state as CircuitState, retryAfterMs: retry };
  }

  #now(): string {
    return this.#scriptClock === undefined ? '' : String(Math.floor(this.#scriptClock.now()));
  }
}

interface BudgetAnswer {
  readonly granted: boolean;
  readonly waitMs: number;
  readonly used: number;
  readonly windowStart: number;
  readonly pausedUntil: number;
  readonly now: number;
}

/**
 * A budget in Redis with RateLimiter's semantics (fixed windows aligned on the clock, observe,
 * penalise), except the order of waiters: each worker's waiters try again when the budget could
 * have room, and the script grants whoever asks first.
 */
class RedisRateBudget implements RateBudget {
  readonly name: string;
  readonly #state: RedisVenueState;
  readonly #key: string;
  readonly #limits: BudgetLimits;
  #usage: RateLimiterUsage;
  #queued = 0;

  constructor(state: RedisVenueState, key: string, limits: BudgetLimits) {
    const owner = `RedisVenueState budget "${limits.name ?? key}"`;
    if (typeof limits.capacity !== 'number' || !Number.isFinite(limits.capacity) || limits.capacity < 0) throw new RangeError(`${owner}: capacity must be a finite number >= 0, got ${describe(limits.capacity)}`);
    positive(owner, 'intervalMs', limits.intervalMs, 1);
    this.name = limits.name ?? key;
    this.#state = state;
    this.#key = key;
    this.#limits = { capacity: limits.capacity, intervalMs: limits.intervalMs };
    this.#usage = { capacity: limits.capacity, intervalMs: limits.intervalMs, used: 0, windowStart: 0, queued: 0, pausedUntil: Number.NEGATIVE_INFINITY };
  }

  get usage(): RateLimiterUsage {
    return { ...this.#usage, queued: this.#queued };
  }

  async acquire(weight = 1, signal?: AbortSignal): Promise<void> {
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new RangeError(`RateBudget "${this.name}": weight must be a finite number >= 0, got ${describe(weight)}`);
    if (weight > this.#limits.capacity) throw new RangeError(`RateBudget "${this.name}": weight ${weight} exceeds the capacity ${this.#limits.capacity}`);
    if (signal?.aborted === true) throw signal.reason as Error;
    this.#queued += 1;
    try {
      for (;;) {
        const answer = await this.#run('acquire', weight, signal);
        if (answer?.granted === true) return;
        // Redis unreachable: nothing is spent, so nothing may be sent; try again shortly.
        const waitMs = answer === undefined ? this.#state.reconnectWaitMs : Math.max(1, answer.waitMs);
        await this.#state.clock.sleep(waitMs, signal);
      }
    } finally {
      this.#queued -= 1;
    }
  }

  observe(usedWeight: number, atTime?: number): void {
    if (typeof usedWeight !== 'number' || !Number.isFinite(usedWeight) || usedWeight < 0) throw new RangeError(`RateBudget "${this.name}": usedWeight must be a finite number >= 0, got ${describe(usedWeight)}`);
    void this.#run('observe', usedWeight, undefined, atTime);
  }

  penalise(retryAfterMs: number): void {
    if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs < 0) throw new RangeError(`RateBudget "${this.name}": retryAfterMs must be a finite number >= 0, got ${describe(retryAfterMs)}`);
    this.#state.logger?.warn?.({ limiter: this.name, retryAfterMs }, 'rate_limiter.penalised');
    // Ordered on the connection before any later acquire of this worker.
    void this.#run('penalise', retryAfterMs);
  }

  /** The budget as Redis has it now (for tests and metrics). */
  async read(): Promise<RateLimiterUsage> {
    await this.#run('peek', 0);
    return this.usage;
  }

  // undefined when Redis did not answer; the caller decides whether to wait and ask again.
  async #run(op: 'acquire' | 'observe' | 'penalise' | 'peek', amount: number, signal?: AbortSignal, at?: number): Promise<BudgetAnswer | undefined> {
    try {
      const answer = await this.#state.runBudget(this.#key, op, amount, this.#limits, at);
      this.#usage = { ...this.#usage, used: answer.used, windowStart: answer.windowStart, pausedUntil: answer.pausedUntil };
      return answer;
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason as Error;
      this.#state.logger?.warn?.({ limiter: this.name, op, err: error instanceof Error ? error.message : String(error) }, 'redis.budget.unavailable');
      return undefined;
    }
  }
}

/**
 * A circuit breaker whose state lives in Redis: every worker counts into one run of failures, one
 * worker's evidence opens it for all, and each half-open trial slot is given to one caller across
 * workers. `isFailure`, the logger and listeners stay this worker's.
 */
class RedisCircuit implements SharedCircuit {
  readonly name: string;
  readonly #state: RedisVenueState;
  readonly #key: string;
  /** Holds the settings, checked and defaulted exactly as the in-process breaker does. */
  readonly #settings: CircuitBreaker;
  readonly #isFailure: (error: unknown) => boolean;
  readonly #onStateChange: ((change: CircuitStateChange) => void) | undefined;
  #seen: CircuitState = 'closed';

  constructor(state: RedisVenueState, key: string, options: CircuitBreakerOptions) {
    this.#settings = new CircuitBreaker({ ...options, onStateChange: undefined });
    this.name = this.#settings.name;
    this.#state = state;
    this.#key = key;
    const isFailure = options.isFailure;
    // The in-process default: everything counts except errors marked not retryable.
    this.#isFailure = isFailure ?? ((error) => (error as { retryable?: unknown } | null)?.retryable !== false);
    this.#onStateChange = options.onStateChange;
  }

  get state(): CircuitState {
    return this.#seen;
  }

  /** The state as Redis has it now. */
  async read(): Promise<CircuitState> {
    return (await this.#run('peek', 0)).state;
  }

  isolate(): Promise<void> {
    return this.#run('isolate', 0).then(() => undefined);
  }

  reset(): Promise<void> {
    return this.#run('reset', 0).then(() => undefined);
  }

  async execute<T>(operation: (context: PolicyContext) => PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    const admission = await this.#run('admit', 0, signal);
    if (!admission.admitted) {
      const refusing = admission.state === 'closed' ? 'half_open' : admission.state;
      throw new CircuitOpenError(this.name, refusing, refusing === 'open' ? admission.retryAfterMs : refusing === 'half_open' ? 0 : undefined);
    }
    let result: T;
    try {
      result = await operation({ attempt: 1, signal });
    } catch (error) {
      await this.#report(this.#counts(error) ? 'failure' : 'neutral', admission.generation);
      throw error;
    }
    await this.#report('success', admission.generation);
    return result;
  }

  wrap<F extends AsyncFunction>(fn: F): F {
    const execute = this.execute.bind(this);
    return function protectedByBreaker(this: unknown, ...args: Parameters<F>): Promise<unknown> {
      return execute(() => (fn as unknown as (...a: unknown[]) => Promise<unknown>).apply(this, args));
    } as unknown as F;
  }

  #counts(error: unknown): boolean {
    try {
      return this.#isFailure(error);
    } catch {
      return true;
    }
  }

  async #report(op: 'success' | 'failure' | 'neutral', generation: number): Promise<void> {
    try {
      await this.#run(op, generation);
    } catch (error) {
      // The call's own result stands; a lost report only delays the breaker's reaction.
      this.#state.logger?.warn?.({ circuit: this.name, op, err: error instanceof Error ? error.message : String(error) }, 'redis.breaker.unavailable');
    }
  }

  /** Tells this worker's listener, as the in-process breaker does; a throwing listener changes nothing. */
  #tell(change: CircuitStateChange): void {
    try {
      this.#onStateChange?.(change);
    } catch (error) {
      this.#state.logger?.warn?.({ circuit: this.name, err: error instanceof Error ? error.message : String(error) }, 'circuit.listener_failed');
    }
  }

  // Waits for Redis when it is unreachable: a call is never let through unaccounted.
  async #run(op: string, generation: number, signal?: AbortSignal): Promise<{ admitted: boolean; generation: number; state: CircuitState; retryAfterMs: number }> {
    for (;;) {
      try {
        const answer = await this.#state.runBreaker(this.#key, op, generation, this.#settings);
        if (answer.state !== this.#seen) {
          const fields = { circuit: this.name, from: this.#seen, to: answer.state };
          if (answer.state === 'open' || answer.state === 'isolated') this.#state.logger?.warn?.(fields, 'circuit.state_change');
          else this.#state.logger?.info?.(fields, 'circuit.state_change');
          const change: CircuitStateChange = { circuit: this.name, from: this.#seen, to: answer.state, reason: transitionReason(op, this.#seen, answer.state), at: this.#state.clock.now() };
          this.#seen = answer.state;
          this.#tell(change);
        }
        return answer;
      } catch (error) {
        if (op !== 'admit') throw error;
        this.#state.logger?.warn?.({ circuit: this.name, err: error instanceof Error ? error.message : String(error) }, 'redis.breaker.unavailable');
        await this.#state.clock.sleep(this.#state.reconnectWaitMs, signal);
      }
    }
  }
}

/**
 * Why the state this worker sees changed, as near as it can tell: the change may be another
 * worker's (its evidence opened the breaker), seen here on the next call.
 */
function transitionReason(op: string, from: CircuitState, to: CircuitState): CircuitTransitionReason {
  if (op === 'isolate' || to === 'isolated') return 'isolate';
  if (op === 'reset') return 'reset';
  if (to === 'open') return from === 'half_open' ? 'trial_failed' : 'failure_threshold';
  if (to === 'half_open') return 'open_elapsed';
  return from === 'half_open' ? 'trials_succeeded' : 'reset';
}

/**
 * Values kept in Redis for their TTL. One worker loads (it holds a lock key for `loadLockMs`); the
 * others look again every `loadPollMs` until the value is there or the lock has gone.
 */
class RedisCache implements SharedCache {
  constructor(
    readonly state: RedisVenueState,
    readonly lockMs: number,
    readonly pollMs: number,
  ) {}

  async getOrLoad(key: string, ttlMs: number, load: () => Promise<string>): Promise<string> {
    const redis = this.state.redis;
    const valueKey = `${this.state.keyPrefix}cache:${key}`;
    const lockKey = `${this.state.keyPrefix}loading:${key}`;
    for (;;) {
      const cached = await redis.get(valueKey);
      if (cached !== null) return cached;
      const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
      if ((await redis.set(lockKey, token, 'PX', this.lockMs, 'NX')) === 'OK') {
        try {
          const value = await load();
          if (ttlMs > 0) await redis.set(valueKey, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
          return value;
        } finally {
          // Only our own lock: a slow load may have outlived it and another worker taken it.
          if ((await redis.get(lockKey)) === token) await redis.del(lockKey);
        }
      }
      // Real time: this waits for another worker's network round trips, not for the budget's clock.
      await sleepReal(this.pollMs);
    }
  }
}
