/**
 * The simulator's notion of time. Everything that waits (latency and timeout faults) or reads the
 * time (timestamps, recvWindow checks, query lag, rate-limit windows) goes through a SimClock, so
 * tests can drive time by hand instead of sleeping.
 */
export interface SimTimer {
  cancel(): void;
}

export interface SimClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): SimTimer;
}

export const systemClock: SimClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    return { cancel: () => { clearTimeout(handle); } };
  },
};

export interface ManualClock extends SimClock {
  /** Moves time forward and runs every timer that falls due, in due order. */
  advance(ms: number): void;
  /** Timers not yet due or cancelled. */
  pending(): number;
}

interface ManualTimer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * Time that moves only when told to. `start` may be a fixed instant, or a function (e.g.
 * `() => Date.now()`) that `now()` follows plus everything advanced so far: real clients sign
 * requests with real timestamps, while timers still fire only on `advance()`.
 */
export function createManualClock(start: number | (() => number) = 1_700_000_000_000): ManualClock {
  const base = typeof start === 'function' ? start : () => start;
  let offset = 0;
  const now = (): number => base() + offset;
  let seq = 0;
  let timers: ManualTimer[] = [];
  return {
    now,
    setTimeout: (callback, ms) => {
      const timer: ManualTimer = { due: now() + Math.max(0, ms), seq: seq++, callback, cancelled: false };
      timers.push(timer);
      return { cancel: () => { timer.cancelled = true; } };
    },
    advance: (ms) => {
      const target = now() + ms;
      for (;;) {
        let nextTimer: ManualTimer | undefined;
        for (const timer of timers) {
          if (timer.cancelled || timer.due > target) continue;
          if (!nextTimer || timer.due < nextTimer.due || (timer.due === nextTimer.due && timer.seq < nextTimer.seq)) nextTimer = timer;
        }
        if (!nextTimer) break;
        offset += Math.max(0, nextTimer.due - now());
        nextTimer.cancelled = true;
        nextTimer.callback();
      }
      offset += Math.max(0, target - now());
      timers = timers.filter((timer) => !timer.cancelled);
    },
    pending: () => timers.filter((timer) => !timer.cancelled).length,
  };
}
