import { describe, expect, it } from 'vitest';

import { SharedTime } from './shared-time';

describe('SharedTime', () => {
  it('follows real time and jumps forward by every wait, at once', async () => {
    const time = new SharedTime();
    const before = Date.now();

    await time.sleep(60_000);
    await time.sleep(Number.NaN);

    expect(time.now() - before).toBeGreaterThanOrEqual(60_000);
    expect(time.now() - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it("fires the simulator's timers when a wait jumps past them, earliest first, and not the cancelled ones", async () => {
    const time = new SharedTime();
    const fired: string[] = [];
    time.setTimeout(() => fired.push('late'), 2_000);
    time.setTimeout(() => fired.push('early'), 500);
    time.setTimeout(() => fired.push('cancelled'), 100).cancel();
    time.setTimeout(() => fired.push('much later'), 60_000);

    await time.sleep(2_000);

    expect(fired).toEqual(['early', 'late']);
  });

  it('fires timers that came due in real time on pump()', () => {
    const time = new SharedTime();
    let fired = false;
    time.setTimeout(() => {
      fired = true;
    }, 0);

    time.pump();

    expect(fired).toBe(true);
  });

  it('tells the test before each wait, and rejects a wait whose signal aborted, without moving time', async () => {
    const time = new SharedTime();
    const controller = new AbortController();
    const reason = new Error('stop');
    time.beforeSleep = () => {
      controller.abort(reason);
    };
    const before = time.now();

    await expect(time.sleep(5_000, controller.signal)).rejects.toBe(reason);

    expect(time.now() - before).toBeLessThan(5_000);
  });
});
