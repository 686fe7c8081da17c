import { describe, expect, it } from 'vitest';

import { InstantClock } from './instant-clock';

describe('InstantClock', () => {
  it('resolves a sleep at once and moves its time forward by what was asked', async () => {
    const clock = new InstantClock(1_000);

    await clock.sleep(250);
    await clock.sleep(1_500);

    expect(clock.now()).toBe(2_750);
    expect(clock.sleeps).toEqual([250, 1_500]);
    expect(clock.slept).toBe(1_750);
  });

  it('records a non-positive or NaN sleep as 0 and does not move time backwards', async () => {
    const clock = new InstantClock(10);

    await clock.sleep(-5);
    await clock.sleep(Number.NaN);

    expect(clock.now()).toBe(10);
    expect(clock.sleeps).toEqual([0, 0]);
  });

  it('rejects a sleep whose signal has already aborted, with the reason, and records nothing', async () => {
    const clock = new InstantClock(0);
    const reason = new Error('stop');

    await expect(clock.sleep(100, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.sleeps).toEqual([]);
    expect(clock.now()).toBe(0);
  });

  it('advance() moves time without a sleep being recorded, and refuses nonsense', () => {
    const clock = new InstantClock(0);

    clock.advance(60_000);

    expect(clock.now()).toBe(60_000);
    expect(clock.sleeps).toEqual([]);
    expect(() => {
      clock.advance(-1);
    }).toThrow(RangeError);
    expect(() => {
      clock.advance(Number.POSITIVE_INFINITY);
    }).toThrow(RangeError);
    expect(() => new InstantClock(Number.NaN)).toThrow(RangeError);
  });

  it('starts at the wall clock by default, so timestamps it stamps look real', () => {
    const before = Date.now();
    const clock = new InstantClock();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(Date.now());
  });

  it('hands out a copy of its sleeps, not the record itself', async () => {
    const clock = new InstantClock(0);
    await clock.sleep(5);
    (clock.sleeps as number[]).push(99);
    expect(clock.sleeps).toEqual([5]);
  });
});
