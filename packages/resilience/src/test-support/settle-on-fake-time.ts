import type { FakeClock } from '../fake-clock';

/**
 * Runs fake time forward, sleep by sleep, until nothing is waiting, and returns how the promise
 * settled: its value, or the error it rejected with.
 */
export async function settleOnFakeTime<T>(clock: FakeClock, promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  while (await clock.advanceToNextWake());
  return outcome;
}
