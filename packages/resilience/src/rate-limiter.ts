import { systemClock, type Clock } from './clock';
import type { Logger } from './logger';
import { finiteAtLeast, nonNegativeMs } from './validate';

/** A fixed-window budget: how much weight per window, and the clock it is counted on. */
export interface RateLimiterOptions {
  /** Weight allowed per window, e.g. 6000 for Binance's request weight per minute. */
  readonly capacity: number;
  /** The window length. Windows are aligned to multiples of it on the clock (whole minutes for 60 000). */
  readonly intervalMs: number;
  /** Used in log lines. Default `rate_limiter`. */
  readonly name?: string | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
}

/** What a RateLimiter has spent in the current window, and when the window resets. */
export interface RateLimiterUsage {
  readonly capacity: number;
  readonly intervalMs: number;
  /** Weight spent in the current window (the larger of ours and the last observed). */
  readonly used: number;
  readonly windowStart: number;
  /** Callers waiting. */
  readonly queued: number;
  /** Until when penalise() holds everyone; at or before now when not paused. */
  readonly pausedUntil: number;
}

interface Waiter {
  readonly weight: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly detach: () => void;
}

const OWNER = 'RateLimiter';
const granted = Promise.resolve();

/**
 * A weight budget per fixed window, shared by everyone who calls the same venue with the same key or
 * IP — the way Binance counts request weight per minute. Semantics:
 *
 * - Windows are `[k * intervalMs, (k + 1) * intervalMs)` on the clock; spending resets when a new
 *   window begins, like the server's own per-minute counter.
 * - `acquire(weight)` spends at once when the budget allows and nobody is waiting; otherwise it waits
 *   in FIFO order — a heavy request at the head holds back lighter ones behind it, so none starves.
 *   Waiting uses one clock sleep until the next window (or the end of a pause), never polling.
 * - `observe(used, at)` adopts the server's count (e.g. `X-MBX-USED-WEIGHT-1M`) when it is higher
 *   than ours: other processes spend from the same budget. A count from an earlier window is stale
 *   and ignored; ours is never lowered, because requests still in flight are not in the server's.
 * - `penalise(ms)` holds everyone for `ms` after a 429 or 418, on top of the window budget.
 */
export class RateLimiter {
  readonly name: string;
  #capacity: number;
  #intervalMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  #windowStart: number;
  #used = 0;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #queue: Waiter[] = [];
  #wake: AbortController | undefined;

  constructor(options: RateLimiterOptions) {
    this.name = options.name ?? 'rate_limiter';
    this.#capacity = finiteAtLeast(OWNER, 'capacity', options.capacity, 0);
    this.#intervalMs = finiteAtLeast(OWNER, 'intervalMs', options.intervalMs, Number.MIN_VALUE);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger;
    this.#windowStart = this.#windowOf(this.#clock.now());
  }

  get usage(): RateLimiterUsage {
    this.#roll(this.#clock.now());
    return {
      capacity: this.#capacity,
      intervalMs: this.#intervalMs,
      used: this.#used,
      windowStart: this.#windowStart,
      queued: this.#queue.length,
      pausedUntil: this.#pausedUntil,
    };
  }

  /**
   * Resolves when `weight` has been spent from the budget. Rejects with RangeError when the weight can
   * never fit, and with `signal.reason` when the signal aborts while waiting (the place is given up).
   */
  acquire(weight = 1, signal?: AbortSignal): Promise<void> {
    this.#checkWeight(weight);
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (this.#queue.length === 0 && this.#trySpend(weight, this.#clock.now())) return granted;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter);
        if (index === -1) return;
        this.#queue.splice(index, 1);
        reject(signal?.reason as Error);
        // The head may have been the one blocking the others.
        if (index === 0) this.#drain();
      };
      const waiter: Waiter = {
        weight,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      // A wake already set is still right: it depends only on the window and the pause.
      if (this.#wake === undefined) this.#schedule();
    });
  }

  /** Spends `weight` if it can be spent now without waiting (and nobody waits); never queues. */
  tryAcquire(weight = 1): boolean {
    this.#checkWeight(weight);
    return this.#queue.length === 0 && this.#trySpend(weight, this.#clock.now());
  }

  /** Adopts the server's count of `usedWeight` for the window containing `atTime` (default now). */
  observe(usedWeight: number, atTime: number = this.#clock.now()): void {
    finiteAtLeast(OWNER, 'usedWeight', usedWeight, 0);
    finiteAtLeast(OWNER, 'atTime', atTime, -Number.MAX_VALUE);
    this.#roll(this.#clock.now());
    if (this.#windowOf(atTime) < this.#windowStart) return;
    if (usedWeight > this.#used) this.#used = usedWeight;
  }

  /** Changes the limits (e.g. from the exchange's published rate limits); waiters are re-examined. */
  configure(limits: { readonly capacity?: number | undefined; readonly intervalMs?: number | undefined }): void {
    if (limits.capacity !== undefined) this.#capacity = finiteAtLeast(OWNER, 'capacity', limits.capacity, 0);
    if (limits.intervalMs !== undefined) {
      this.#intervalMs = finiteAtLeast(OWNER, 'intervalMs', limits.intervalMs, Number.MIN_VALUE);
      this.#windowStart = this.#windowOf(this.#clock.now());
    }
    const tooHeavy = this.#queue.filter((waiter) => waiter.weight > this.#capacity);
    this.#queue = this.#queue.filter((waiter) => waiter.weight <= this.#capacity);
    for (const waiter of tooHeavy) {
      waiter.detach();
      waiter.reject(this.#tooHeavy(waiter.weight));
    }
    this.#drain();
  }

  /** Holds every caller for `retryAfterMs` from now (after a 429); a longer pause already set stands. */
  penalise(retryAfterMs: number): void {
    nonNegativeMs(OWNER, 'retryAfterMs', retryAfterMs);
    const until = this.#clock.now() + retryAfterMs;
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#logger?.warn?.({ limiter: this.name, retryAfterMs, pausedUntil: until }, 'rate_limiter.penalised');
    if (this.#queue.length > 0) this.#schedule();
  }

  #checkWeight(weight: number): void {
    finiteAtLeast(OWNER, 'weight', weight, 0);
    if (weight > this.#capacity) throw this.#tooHeavy(weight);
  }

  #tooHeavy(weight: number): RangeError {
    return new RangeError(`${OWNER} "${this.name}": weight ${weight} exceeds the capacity ${this.#capacity}`);
  }

  #windowOf(time: number): number {
    return Math.floor(time / this.#intervalMs) * this.#intervalMs;
  }

  #roll(now: number): void {
    const windowStart = this.#windowOf(now);
    if (windowStart > this.#windowStart) {
      this.#windowStart = windowStart;
      this.#used = 0;
    }
  }

  #trySpend(weight: number, now: number): boolean {
    if (now < this.#pausedUntil) return false;
    this.#roll(now);
    if (this.#used + weight > this.#capacity) return false;
    this.#used += weight;
    return true;
  }

  #drain(): void {
    const now = this.#clock.now();
    for (let head = this.#queue[0]; head !== undefined; head = this.#queue[0]) {
      if (!this.#trySpend(head.weight, now)) break;
      this.#queue.shift();
      head.detach();
      head.resolve();
    }
    if (this.#queue.length > 0) this.#schedule();
    else this.#cancelWake();
  }

  // One sleep at a time, to the earliest moment the head could fit: the pause's end or the next window.
  #schedule(): void {
    this.#cancelWake();
    const now = this.#clock.now();
    const wakeAt = now < this.#pausedUntil ? this.#pausedUntil : this.#windowOf(now) + this.#intervalMs;
    const wake = new AbortController();
    this.#wake = wake;
    this.#clock.sleep(wakeAt - now, wake.signal).then(
      () => {
        if (this.#wake === wake) this.#wake = undefined;
        this.#drain();
      },
      () => undefined, // replaced by a newer schedule
    );
  }

  #cancelWake(): void {
    this.#wake?.abort();
    this.#wake = undefined;
  }
}
