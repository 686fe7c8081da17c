import type { ManualClock } from '../engine-clock';

/**
 * Lets the event loop run (no real sleeping) until the simulator has parked `count` timers on the
 * manual clock, e.g. a request held by a latency or timeout fault; throws if it never happens.
 */
export async function untilTimersPending(clock: ManualClock, count: number): Promise<void> {
  for (let i = 0; i < 100_000; i++) {
    if (clock.pending() >= count) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`expected ${count} pending timers, have ${clock.pending()}`);
}
