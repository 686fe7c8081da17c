/** What a sliding window said about one request. */
export interface SlidingWindowAnswer {
  /** Whether the request fits the budget (and was counted). */
  readonly admitted: boolean;
  /** Requests counted in the window ending now, this one included when admitted. */
  readonly used: number;
  /** When the oldest counted request leaves the window, freeing one place (ms, simulator clock). */
  readonly freesAt: number;
}

/** The times of one key's admitted requests, oldest first; `head` skips the ones that aged out. */
interface Log {
  times: number[];
  head: number;
}

/**
 * Rolling-window budgets, one per key: a request is admitted when fewer than `limit` requests
 * were admitted in the `windowMs` before it. Unlike a fixed window there is no boundary at which a
 * client can spend two budgets back to back, which is what "any N-second window" means.
 * Refused requests are not counted.
 */
export class SlidingWindowCounter {
  private readonly logs = new Map<string, Log>();

  constructor(private readonly windowMs: number) {}

  admit(key: string, now: number, limit: number): SlidingWindowAnswer {
    let log = this.logs.get(key);
    if (log === undefined) {
      log = { times: [], head: 0 };
      this.logs.set(key, log);
    }
    const { times } = log;
    while (log.head < times.length && (times[log.head] ?? now) <= now - this.windowMs) log.head += 1;
    // Drop the aged-out prefix once it is the larger part, so the log stays as long as the budget.
    if (log.head > 64 && log.head * 2 > times.length) {
      times.splice(0, log.head);
      log.head = 0;
    }
    const used = times.length - log.head;
    const oldest = times[log.head];
    if (used >= limit) return { admitted: false, used, freesAt: (oldest ?? now) + this.windowMs };
    times.push(now);
    return { admitted: true, used: used + 1, freesAt: (oldest ?? now) + this.windowMs };
  }
}
