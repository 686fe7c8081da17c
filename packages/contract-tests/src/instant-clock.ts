import type { Clock } from '@xport/resilience';

/**
 * A Clock for contract tests: every sleep returns at once and moves the clock forward by what was
 * asked, and is recorded. Backoff, Retry-After and breaker timing run at full logical length without
 * any real waiting, and a test reads what the adapter waited for from `sleeps`. `advance` moves time
 * by hand (past a breaker's open duration, say).
 */
export class InstantClock implements Clock {
  #now: number;
  readonly #sleeps: number[] = [];

  constructor(startMs: number = Date.now()) {
    if (!Number.isFinite(startMs)) throw new RangeError(`InstantClock: startMs must be finite, got ${String(startMs)}`);
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    const wait = ms > 0 ? ms : 0;
    this.#sleeps.push(wait);
    this.#now += wait;
    return Promise.resolve();
  }

  /** Moves time forward without anyone sleeping. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`InstantClock: advance(ms) needs a finite ms >= 0, got ${String(ms)}`);
    this.#now += ms;
  }

  /** Every wait requested so far, in order (non-positive requests recorded as 0). */
  get sleeps(): readonly number[] {
    return [...this.#sleeps];
  }

  /** The sum of every wait requested so far. */
  get slept(): number {
    return this.#sleeps.reduce((sum, ms) => sum + ms, 0);
  }
}
