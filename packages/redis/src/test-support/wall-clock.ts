/**
 * ccxt signs with the `Date.now` it captured when it was first imported, so faking Date later does
 * not reach it. Imported before anything loads ccxt, this puts a switchable function there:
 * `followClock(clock)` makes the wall clock read the test's fake clock (the simulator's too), so
 * signatures stay inside the venue's receive window however far fake time moves.
 */
const realNow = Date.now.bind(Date);
let source: () => number = realNow;
Date.now = (): number => source();

export function followClock(clock: { now(): number } | undefined): void {
  source = clock === undefined ? realNow : (): number => Math.floor(clock.now());
}
