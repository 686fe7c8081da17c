import { describe, expect, it } from 'vitest';
import { SlidingWindowCounter } from './sliding-window';

describe('SlidingWindowCounter', () => {
  it('admits up to the limit in any window, per key, and says when a place frees', () => {
    const counter = new SlidingWindowCounter(1_000);
    expect(counter.admit('a', 100, 2)).toEqual({ admitted: true, used: 1, freesAt: 1_100 });
    expect(counter.admit('a', 700, 2)).toEqual({ admitted: true, used: 2, freesAt: 1_100 });
    expect(counter.admit('a', 1_099, 2)).toEqual({ admitted: false, used: 2, freesAt: 1_100 });
    expect(counter.admit('b', 1_099, 2).admitted).toBe(true);
    // Refusals are not counted: at 1 100 the first request has left and one place is free.
    expect(counter.admit('a', 1_100, 2)).toEqual({ admitted: true, used: 2, freesAt: 1_700 });
  });

  it('keeps its log as long as the budget while a key sends for a long time', () => {
    const counter = new SlidingWindowCounter(10);
    let most = 0;
    for (let now = 0; now < 20_000; now++) most = Math.max(most, counter.admit('k', now, 1_000).used);
    expect(most).toBe(10);
    const logs = (counter as unknown as { logs: Map<string, { times: number[] }> }).logs;
    expect(logs.get('k')?.times.length).toBeLessThan(200);
  });
});
