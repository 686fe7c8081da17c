/**
 * Everything in this package that waits, times out or rate-limits reads time through a Clock, so
 * tests drive it with FakeClock and never sleep for real.
 */
export interface Clock {
  /** Milliseconds; systemClock uses the wall clock so snapshots can move between processes. */
  now(): number;
  /**
   * Resolves after `ms` (non-positive or NaN means at once). Rejects with `signal.reason` as soon
   * as the signal aborts, and leaves no timer behind.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// setTimeout overflows above 2^31-1 ms and fires at once; longer sleeps are chained.
const MAX_TIMER_MS = 2_147_483_647;

function sleepWithTimers(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const arm = (remaining: number): void => {
      timer = setTimeout(() => {
        if (remaining > MAX_TIMER_MS) {
          arm(remaining - MAX_TIMER_MS);
          return;
        }
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(remaining, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm(ms > 0 ? ms : 0);
  });
}

/** The real clock: `Date.now()`, and sleeps on Node's timers that an abort signal cancels. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: sleepWithTimers,
});
