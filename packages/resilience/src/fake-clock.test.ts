import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('starts where it is told and moves only when advanced', async () => {
    const clock = new FakeClock(1000);
    expect(clock.now()).toBe(1000);
    await clock.advance(250);
    expect(clock.now()).toBe(1250);
    await clock.advanceTo(2000);
    expect(clock.now()).toBe(2000);
  });

  it('wakes due sleeps in due order, ties in request order, each at its own time', async () => {
    const clock = new FakeClock();
    const woke: string[] = [];
    const sleepFor = (ms: number, label: string) => clock.sleep(ms).then(() => woke.push(`${label}@${clock.now()}`));
    const all = Promise.all([sleepFor(300, 'c'), sleepFor(100, 'a'), sleepFor(300, 'd'), sleepFor(200, 'b'), sleepFor(500, 'late')]);
    expect(clock.pendingSleeps).toBe(5);
    expect(clock.nextWakeAt).toBe(100);
    await clock.advance(300);
    expect(woke).toEqual(['a@100', 'b@200', 'c@300', 'd@300']);
    expect(clock.pendingSleeps).toBe(1);
    await clock.advance(200);
    await all;
    expect(woke.at(-1)).toBe('late@500');
  });

  it('wakes sleeps that woken code requests within the advanced span', async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    const loop = (async () => {
      for (let index = 0; index < 4; index++) {
        await clock.sleep(1000);
        times.push(clock.now());
      }
    })();
    await clock.advance(3500);
    expect(times).toEqual([1000, 2000, 3000]);
    await clock.advance(500);
    await loop;
    expect(times).toEqual([1000, 2000, 3000, 4000]);
  });

  it('notices sleeps requested by promise chains still settling when advance is called', async () => {
    const clock = new FakeClock();
    let woke = false;
    void Promise.resolve()
      .then(() => undefined)
      .then(() => clock.sleep(10))
      .then(() => (woke = true));
    await clock.advance(10);
    expect(woke).toBe(true);
  });

  it('rejects an aborted sleep with the reason at once and forgets it', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort('stop');
    await expect(sleeping).rejects.toBe('stop');
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(5, controller.signal)).rejects.toBe('stop');
  });

  it('resolves non-positive sleeps without an advance', async () => {
    const clock = new FakeClock();
    await clock.sleep(0);
    await clock.sleep(-5);
    await clock.sleep(Number.NaN);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('reports whether there was a sleep to wake', async () => {
    const clock = new FakeClock();
    expect(await clock.advanceToNextWake()).toBe(false);
    const sleeping = clock.sleep(42);
    expect(await clock.advanceToNextWake()).toBe(true);
    await sleeping;
    expect(clock.now()).toBe(42);
  });

  it('refuses to go back in time or advance by nonsense', async () => {
    const clock = new FakeClock(100);
    await expect(clock.advanceTo(50)).rejects.toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => new FakeClock(Infinity)).toThrow(RangeError);
  });
});
