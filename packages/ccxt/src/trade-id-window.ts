/**
 * The trade ids an account stream has delivered, to drop a fill it sees again (the live stream and a
 * REST read after a reconnect overlap by design). Bounded: past `capacity` the oldest id is
 * forgotten, so memory stays flat however long the stream runs. Gap recovery never reads further
 * back than the last delivered fill, so a window larger than one REST page keeps every overlap in view.
 */
export class TradeIdWindow {
  readonly capacity: number;
  readonly #ids = new Set<string>();

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`TradeIdWindow capacity must be a positive integer, got ${String(capacity)}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#ids.size;
  }

  has(key: string): boolean {
    return this.#ids.has(key);
  }

  /** Remembers `key`; false when it was already remembered (a repeat to drop). */
  add(key: string): boolean {
    if (this.#ids.has(key)) return false;
    this.#ids.add(key);
    // A Set iterates in insertion order: the first key is the oldest.
    if (this.#ids.size > this.capacity) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }
}
