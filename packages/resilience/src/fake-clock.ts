import type { Clock } from './clock';
import { finiteAtLeast } from './validate';

interface PendingSleep {
  readonly dueAt: number;
  readonly resolve: () => void;
  readonly detach: () => void;
}

// Captured at load so a test that fakes the global timers cannot stall the clock's own settling.
const realSetImmediate = globalThis.setImmediate;

/** One macrotask: every microtask queued so far, and every one those queue, has run. */
function settle(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * A Clock for tests: time moves only when the test says so. `advance`/`advanceTo` wake due sleeps
 * one at a time in due order (ties in the order they were requested) and let the woken code run
 * before looking for the next one, so a retry that sleeps again inside the advanced span is woken
 * too. Minutes of simulated backoff take milliseconds.
 */
export class FakeClock implements Clock {
  #now: number;
  #sleeps: PendingSleep[] = [];

  constructor(startMs = 0) {
    this.#now = finiteAtLeast('FakeClock', 'startMs', startMs, Number.MIN_SAFE_INTEGER);
  }

  now(): number {
    return this.#now;
  }

  /** Non-positive sleeps resolve without waiting for an advance, as nothing is due later. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#sleeps = this.#sleeps.filter((pending) => pending !== sleep);
        reject(signal?.reason as Error);
      };
      const sleep: PendingSleep = {
        dueAt: this.#now + ms,
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const index = this.#sleeps.findIndex((pending) => pending.dueAt > sleep.dueAt);
      this.#sleeps.splice(index === -1 ? this.#sleeps.length : index, 0, sleep);
    });
  }

  /** How many sleeps are waiting (aborted ones are gone at once). */
  get pendingSleeps(): number {
    return this.#sleeps.length;
  }

  /** When the earliest pending sleep is due, or undefined when none is pending. */
  get nextWakeAt(): number | undefined {
    return this.#sleeps[0]?.dueAt;
  }

  /** Moves time forward by `ms`, waking every sleep that falls due on the way, in due order. */
  advance(ms: number): Promise<void> {
    finiteAtLeast('FakeClock', 'advance(ms)', ms, 0);
    return this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `timeMs`, waking every sleep that falls due on the way, in due order. */
  async advanceTo(timeMs: number): Promise<void> {
    finiteAtLeast('FakeClock', 'advanceTo(timeMs)', timeMs, this.#now);
    for (;;) {
      await settle();
      const next = this.#sleeps[0];
      if (next === undefined || next.dueAt > timeMs) break;
      this.#sleeps.shift();
      this.#now = next.dueAt;
      next.detach();
      next.resolve();
    }
    this.#now = timeMs;
    await settle();
  }

  /** Moves to the earliest pending sleep and wakes it (and any due with it); false if none. */
  async advanceToNextWake(): Promise<boolean> {
    await settle();
    const dueAt = this.nextWakeAt;
    if (dueAt === undefined) return false;
    await this.advanceTo(dueAt);
    return true;
  }
}
