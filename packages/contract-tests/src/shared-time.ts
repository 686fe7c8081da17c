import type { Clock } from '@xport/resilience';
import type { SimClock, SimTimer } from '@xport/simulator';

interface Timer {
  readonly due: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * One clock for a simulator and the adapters under test. It follows real time (clients sign
 * requests with real timestamps) and jumps forward whenever an adapter waits, so the adapter never
 * sleeps for real while the venue's time-bound behaviour — an order query lagging for 800 ms, an
 * answer withheld for 100 ms, a Retry-After — keeps its length relative to the adapter's waits.
 * Simulator timers fire when a wait jumps past them, or when `pump()` finds them due in real time.
 */
export class SharedTime implements Clock, SimClock {
  #offset = 0;
  #timers: Timer[] = [];
  /** Called before each wait (with its length) begins; a test can abort a signal from here. */
  beforeSleep: ((ms: number) => void) | undefined;

  now(): number {
    return Date.now() + this.#offset;
  }

  setTimeout(callback: () => void, ms: number): SimTimer {
    const timer: Timer = { due: this.now() + (ms > 0 ? ms : 0), callback, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.beforeSleep?.(ms);
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    this.#offset += ms > 0 ? ms : 0;
    this.pump();
    return Promise.resolve();
  }

  /** Runs every simulator timer that is due, earliest first. */
  pump(): void {
    const now = this.now();
    const due = this.#timers.filter((timer) => !timer.cancelled && timer.due <= now).sort((a, b) => a.due - b.due);
    this.#timers = this.#timers.filter((timer) => !timer.cancelled && timer.due > now);
    for (const timer of due) timer.callback();
  }
}
