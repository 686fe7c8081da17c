import type { ManualClock } from '../engine-clock';

/**
 * Lets the event loop run (no real sleeping) until `done()` holds, e.g. until a request reached the
 * simulator; throws after 20 s. It turns the loop with setImmediate, which fake timers leave alone,
 * so it also works while a test holds a client's setTimeout on fake time.
 */
export async function until(done: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 20_000) throw new Error(`still waiting for ${what} after 20 s`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Lets the event loop run until the simulator has parked `count` timers on the manual clock, e.g. a
 * request held by a latency or timeout fault; throws if it never happens.
 */
export async function untilTimersPending(clock: ManualClock, count: number): Promise<void> {
  await until(() => clock.pending() >= count, `${count} pending timers (have ${clock.pending()})`);
}
