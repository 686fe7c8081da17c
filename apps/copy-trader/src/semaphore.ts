/**
 * At most `limit` holders at a time, first come first served. Waiting costs no timer: a release
 * hands the slot straight to the next waiter.
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a semaphore needs a whole limit of at least 1, got ${String(limit)}`);
  }

  get inUse(): number {
    return this.active;
  }

  /** Runs `work` when a slot is free, and frees the slot when it settles. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    // The slot passes from the releasing holder to this waiter, so `active` does not change.
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next === undefined) this.active -= 1;
    else next();
  }
}

/** One semaphore per key, created on first use, with one limit for all or a limit per key. */
export class KeyedSemaphores {
  private readonly semaphores = new Map<string, Semaphore>();

  constructor(private readonly limit: number | ((key: string) => number)) {}

  /** The semaphore of `key`, created on first use. */
  for(key: string): Semaphore {
    let semaphore = this.semaphores.get(key);
    if (semaphore === undefined) {
      semaphore = new Semaphore(typeof this.limit === 'number' ? this.limit : this.limit(key));
      this.semaphores.set(key, semaphore);
    }
    return semaphore;
  }
}
