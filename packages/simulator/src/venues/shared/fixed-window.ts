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
 * wall clock, so a client that waits until `resetAt` gets a fresh budget.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly windowMs: number) {}

  /** Counts `cost` for `key` at time `now` and returns the window's use so far. */
  hit(key: string, now: number, cost = 1): WindowUse {
    const start = now - (now % this.windowMs);
    let window = this.windows.get(key);
    if (window?.start !== start) {
      window = { start, used: 0 };
      this.windows.set(key, window);
    }
    window.used += cost;
    return { used: window.used, resetAt: start + this.windowMs };
  }

  /** Forgets every key (after a simulator reset). */
  clear(): void {
    this.windows.clear();
  }
}
