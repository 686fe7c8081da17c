/** One key's use of the current window. */
export interface WindowUse {
  /** Requests counted in the current window, including this one. */
  readonly used: number;
  /** When the current window ends (ms, simulator clock). */
  readonly resetAt: number;
}

/**
 * Fixed-window request counters, one per key (an IP, a UID, a UID and endpoint...). Windows are
 * aligned to multiples of `windowMs` on the simulator clock, as the venues align theirs to the
 * wall clock (a day window starts at 00:00 UTC), so a client that waits until `resetAt` gets a
 * fresh budget.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly windowMs: number) {}

  /** Counts `cost` for `key` at time `now` and returns the window's use so far. */
  hit(key: string, now: number, cost = 1): WindowUse {
    const start = this.startOf(now);
    let window = this.windows.get(key);
    if (window?.start !== start) {
      window = { start, used: 0 };
      this.windows.set(key, window);
    }
    window.used += cost;
    return { used: window.used, resetAt: start + this.windowMs };
  }

  /** The window's use at `now` without counting anything. */
  peek(key: string, now: number): WindowUse {
    const start = this.startOf(now);
    const window = this.windows.get(key);
    return { used: window?.start === start ? window.used : 0, resetAt: start + this.windowMs };
  }

  /**
   * Takes `amount` back from the window that was current at `at`, never below zero. A window that
   * has already ended keeps its count: the credit belonged to it, and it no longer matters.
   */
  release(key: string, at: number, amount = 1): void {
    const window = this.windows.get(key);
    if (window?.start === this.startOf(at)) window.used = Math.max(0, window.used - amount);
  }

  /** Forgets every key (after a simulator reset). */
  clear(): void {
    this.windows.clear();
  }

  private startOf(now: number): number {
    return now - (now % this.windowMs);
  }
}
