import { describe, expect, it } from 'vitest';

import { DEFAULT_LIMITS } from './copy-signal';
import { KeyedSemaphores } from './semaphore';
import { budgetedConcurrency, concurrencyFromBudget, DEFAULT_CONCURRENCY } from './venue-concurrency';

describe('in-flight orders per venue from its request budget', () => {
  it.each([
    ['binance', 'spot', 25],
    ['binance', 'futures', 10],
    // One address budget for spot and linear together: 600 per 5 s, kept as 100 per second.
    ['bybit', 'spot', 25],
    ['bybit', 'futures', 25],
    ['bitget', 'spot', 13],
    ['bitget', 'futures', 13],
  ] as const)('%s %s: budget rate × 250 ms = %i', (venue, market, expected) => {
    expect(budgetedConcurrency(venue, market)).toBe(expected);
    expect(typeof DEFAULT_LIMITS.perVenue === 'function' && DEFAULT_LIMITS.perVenue(venue, market)).toBe(expected);
  });

  it('Little\'s law between a floor and a cap', () => {
    expect(concurrencyFromBudget({ capacity: 10, intervalMs: 1_000 })).toBe(DEFAULT_CONCURRENCY.floor);
    expect(concurrencyFromBudget({ capacity: 1_000_000, intervalMs: 60_000 })).toBe(DEFAULT_CONCURRENCY.cap);
    expect(concurrencyFromBudget({ capacity: 120, intervalMs: 1_000 }, { latencyMs: 100, floor: 1, cap: 100 })).toBe(12);
  });

  it('keyed semaphores take a limit per key', async () => {
    const semaphores = new KeyedSemaphores((key) => (key === 'wide' ? 3 : 1));
    let peak = 0;
    const run = (key: string) =>
      semaphores.for(key).use(async () => {
        peak = Math.max(peak, semaphores.for(key).inUse);
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
    await Promise.all(Array.from({ length: 6 }, () => run('wide')));
    expect(peak).toBe(3);
    peak = 0;
    await Promise.all(Array.from({ length: 4 }, () => run('narrow')));
    expect(peak).toBe(1);
  });
});
