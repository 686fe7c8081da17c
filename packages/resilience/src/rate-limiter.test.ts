import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock';
import { RateLimiter } from './rate-limiter';
import { recordingLogger } from './test-support/errors';

/** Starts acquisitions and records when (fake time) each one was granted. */
function recorder(clock: FakeClock, limiter: RateLimiter) {
  const granted: string[] = [];
  const acquire = (label: string, weight = 1, signal?: AbortSignal) =>
    limiter.acquire(weight, signal).then(
      () => granted.push(`${label}@${clock.now()}`),
      (error: unknown) => granted.push(`${label}:rejected:${String(error)}`),
    );
  return { granted, acquire };
}

describe('RateLimiter', () => {
  it('grants at once within the window’s budget', async () => {
    const clock = new FakeClock(10_000);
    const limiter = new RateLimiter({ capacity: 10, intervalMs: 60_000, clock });
    await limiter.acquire(4);
    await limiter.acquire(6);
    expect(limiter.usage).toMatchObject({ used: 10, windowStart: 0, queued: 0 });
    expect(clock.pendingSleeps).toBe(0);
  });

  it('makes the rest wait for the next aligned window, with one sleep and no polling', async () => {
    const clock = new FakeClock(30_000);
    const limiter = new RateLimiter({ capacity: 2, intervalMs: 60_000, clock });
    const { granted, acquire } = recorder(clock, limiter);
    const all = Promise.all(['a', 'b', 'c', 'd', 'e'].map((label) => acquire(label)));
    await clock.advance(0);
    expect(granted).toEqual(['a@30000', 'b@30000']);
    expect(clock.pendingSleeps).toBe(1);
    expect(clock.nextWakeAt).toBe(60_000);
    await clock.advanceTo(120_000);
    await all;
    expect(granted).toEqual(['a@30000', 'b@30000', 'c@60000', 'd@60000', 'e@120000']);
  });

  it('serves waiters first in, first out: a heavy head holds back lighter ones', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ capacity: 10, intervalMs: 1000, clock });
    const { granted, acquire } = recorder(clock, limiter);
    await acquire('first', 8);
    const waiting = Promise.all([acquire('heavy', 5), acquire('light', 1)]);
    await clock.advance(0);
    expect(granted).toEqual(['first@0']); // 'light' would fit now, but waits its turn
    expect(limiter.tryAcquire(1)).toBe(false);
    await clock.advance(1000);
    await waiting;
    expect(granted).toEqual(['first@0', 'heavy@1000', 'light@1000']);
  });

  it('gives up a waiter’s place when its signal aborts, letting the next one through', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ capacity: 10, intervalMs: 1000, clock });
    const { granted, acquire } = recorder(clock, limiter);
    await acquire('first', 8);
    const controller = new AbortController();
    const waiting = Promise.all([acquire('heavy', 5, controller.signal), acquire('light', 2)]);
    await clock.advance(100);
    controller.abort('follower left');
    await waiting;
    expect(granted).toEqual(['first@0', 'heavy:rejected:follower left', 'light@100']);
    expect(limiter.usage.queued).toBe(0);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('adopts a higher server count for the current window, ignores a stale one and never lowers its own', async () => {
    const clock = new FakeClock(61_000);
    const limiter = new RateLimiter({ capacity: 1200, intervalMs: 60_000, clock });
    await limiter.acquire(10);
    limiter.observe(5);
    expect(limiter.usage.used).toBe(10);
    limiter.observe(900, 59_000); // a response from the previous minute
    expect(limiter.usage.used).toBe(10);
    limiter.observe(1195, 61_500);
    expect(limiter.usage.used).toBe(1195);
    expect(limiter.tryAcquire(10)).toBe(false);
    expect(limiter.tryAcquire(5)).toBe(true);
    await clock.advanceTo(120_000);
    expect(limiter.usage.used).toBe(0);
  });

  it('holds everyone after penalise, even with budget left, then lets them through in order', async () => {
    const clock = new FakeClock();
    const { lines, logger } = recordingLogger();
    const limiter = new RateLimiter({ capacity: 100, intervalMs: 60_000, clock, logger, name: 'binance-ip' });
    const { granted, acquire } = recorder(clock, limiter);
    limiter.penalise(30_000);
    limiter.penalise(5000); // a shorter pause does not cut the longer one
    expect(limiter.tryAcquire()).toBe(false);
    const waiting = Promise.all([acquire('a'), acquire('b')]);
    await clock.advance(29_999);
    expect(granted).toEqual([]);
    await clock.advance(1);
    await waiting;
    expect(granted).toEqual(['a@30000', 'b@30000']);
    expect(lines).toEqual([['warn', 'rate_limiter.penalised', { limiter: 'binance-ip', retryAfterMs: 30_000, pausedUntil: 30_000 }]]);
  });

  it('extends a pause that is already being waited out', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ capacity: 100, intervalMs: 60_000, clock });
    const { granted, acquire } = recorder(clock, limiter);
    limiter.penalise(1000);
    const waiting = acquire('a');
    await clock.advance(500);
    limiter.penalise(2000);
    await clock.advance(1000);
    expect(granted).toEqual([]);
    await clock.advance(1000);
    await waiting;
    expect(granted).toEqual(['a@2500']);
  });

  it('re-examines waiters when reconfigured, refusing those that can no longer ever fit', async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ capacity: 10, intervalMs: 1000, clock });
    const { granted, acquire } = recorder(clock, limiter);
    await acquire('first', 10);
    const waiting = Promise.all([acquire('nine', 9), acquire('two', 2)]);
    await clock.advance(0);
    limiter.configure({ capacity: 8 });
    await clock.advance(0);
    expect(granted).toEqual(['first@0', 'nine:rejected:RangeError: RateLimiter "rate_limiter": weight 9 exceeds the capacity 8']);
    limiter.configure({ capacity: 20 });
    await waiting;
    expect(granted.at(-1)).toBe('two@0');
  });

  it('refuses weights that can never be granted or make no sense', () => {
    const limiter = new RateLimiter({ capacity: 5, intervalMs: 1000, clock: new FakeClock() });
    expect(() => limiter.acquire(6)).toThrow(/exceeds the capacity 5/);
    expect(() => limiter.acquire(Number.NaN)).toThrow(RangeError);
    expect(() => limiter.tryAcquire(-1)).toThrow(RangeError);
    expect(() => {
      limiter.observe(Infinity);
    }).toThrow(RangeError);
    expect(() => {
      limiter.penalise(Number.NaN);
    }).toThrow(RangeError);
    expect(() => new RateLimiter({ capacity: 5, intervalMs: 0 })).toThrow(/intervalMs/);
    expect(() => new RateLimiter({ capacity: Number.NaN, intervalMs: 1000 })).toThrow(/capacity/);
  });

  it('rejects at once for an already-aborted signal', async () => {
    const limiter = new RateLimiter({ capacity: 5, intervalMs: 1000, clock: new FakeClock() });
    await expect(limiter.acquire(1, AbortSignal.abort('gone'))).rejects.toBe('gone');
    expect(limiter.usage.used).toBe(0);
  });
});
