import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock';

describe('systemClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the wall clock', () => {
    expect(systemClock.now()).toBe(1_700_000_000_000);
  });

  it('resolves a sleep when its timer fires', async () => {
    let woke = false;
    const sleeping = systemClock.sleep(1000).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('rejects with the abort reason at once and leaves no timer', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once for an already-aborted signal', async () => {
    await expect(systemClock.sleep(10, AbortSignal.abort('early'))).rejects.toBe('early');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('chains timers for sleeps beyond setTimeout’s 24.8-day limit', async () => {
    let woke = false;
    const limit = 2_147_483_647;
    void systemClock.sleep(limit + 1000).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(limit);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(woke).toBe(true);
  });
});
