import { describe, expect, it } from 'vitest';

import { KeyedSemaphores, Semaphore } from './semaphore';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('Semaphore', () => {
  it('never lets more than the limit run, and runs waiters in arrival order', async () => {
    const semaphore = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    let peak = 0;
    const runs = gates.map((gate, index) =>
      semaphore.use(async () => {
        started.push(index);
        peak = Math.max(peak, semaphore.inUse);
        await gate.promise;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]?.resolve();
    await runs[1];
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
    expect(semaphore.inUse).toBe(0);
  });

  it('frees the slot when the work throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.use(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.use(() => Promise.resolve(7))).resolves.toBe(7);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });

  it('keeps one semaphore per key', () => {
    const semaphores = new KeyedSemaphores(3);
    expect(semaphores.for('binance')).toBe(semaphores.for('binance'));
    expect(semaphores.for('bybit')).not.toBe(semaphores.for('binance'));
  });
});
