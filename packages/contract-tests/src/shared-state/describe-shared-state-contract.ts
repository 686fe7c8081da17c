import { CircuitOpenError, FakeClock } from '@xport/resilience';
import type { CircuitStateChange, SharedState } from '@xport/resilience';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Two handles onto one fresh store: what two worker processes would each hold. */
export interface SharedStateHandles {
  readonly first: SharedState;
  readonly second: SharedState;
  close(): Promise<void>;
}

export interface SharedStateContractOptions {
  /**
   * Opens an empty store whose time is `clock` (a store that keeps its own clock must take this one
   * for the suite), and two handles onto it. An in-process store gives the same object twice.
   */
  open(clock: FakeClock): Promise<SharedStateHandles>;
}

/** Windows start at multiples of the interval; the suite starts on one. */
export const SHARED_STATE_START_MS = 1_800_000_000_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `promise` has settled within `ms` of real time (a shared store answers over the network). */
async function settledWithin(promise: Promise<unknown>, ms = 150): Promise<boolean> {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  for (let waited = 0; waited < ms && !state.settled; waited += 10) await realSleep(10);
  return state.settled;
}

/** Moves fake time and gives the store's waiters real time to ask it again. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  await clock.advance(ms);
  await realSleep(30);
}

/**
 * What every SharedState must do, whether it keeps its state in this process or shares it among
 * processes: budgets count per fixed window and are shared by every handle, adopt a higher count
 * observed at the venue, and pause everyone on penalise(); breakers open for every handle on one
 * handle's failures and admit one half-open trial across handles; the cache loads once per TTL.
 */
export function describeSharedStateContract(name: string, options: SharedStateContractOptions): void {
  describe(`${name}: the SharedState contract`, () => {
    let clock: FakeClock;
    let handles: SharedStateHandles;
    let first: SharedState;
    let second: SharedState;
    const limits = { capacity: 10, intervalMs: 60_000 };

    beforeEach(async () => {
      clock = new FakeClock(SHARED_STATE_START_MS);
      handles = await options.open(clock);
      first = handles.first;
      second = handles.second;
    });

    afterEach(async () => {
      await handles.close();
    });

    describe('budgets', () => {
      it('spends up to the capacity in a window, then waits for the next window', async () => {
        const budget = first.budget('venue|spot|ip:a', limits);
        await budget.acquire(6);
        await budget.acquire(4);
        const waiting = budget.acquire(1);
        expect(await settledWithin(waiting)).toBe(false);
        await advance(clock, limits.intervalMs - 1);
        expect(await settledWithin(waiting)).toBe(false);
        await advance(clock, 1);
        expect(await settledWithin(waiting, 2_000)).toBe(true);
        expect(budget.usage.used).toBe(1);
      });

      it('is one budget for every handle on the same key, and another key is another budget', async () => {
        await first.budget('venue|spot|ip:a', limits).acquire(10);
        const other = second.budget('venue|spot|ip:a', limits).acquire(1);
        expect(await settledWithin(other)).toBe(false);
        await second.budget('venue|spot|ip:b', limits).acquire(10);
        await advance(clock, limits.intervalMs);
        expect(await settledWithin(other, 2_000)).toBe(true);
      });

      it("adopts a higher count the venue reported, and never lowers its own", async () => {
        const budget = first.budget('venue|spot|ip:a', limits);
        await budget.acquire(2);
        budget.observe(8);
        budget.observe(1);
        // An observation is not awaited: a shared store records it in the background.
        await realSleep(200);
        await budget.acquire(2);
        const waiting = budget.acquire(1);
        expect(await settledWithin(waiting)).toBe(false);
        await advance(clock, limits.intervalMs);
        expect(await settledWithin(waiting, 2_000)).toBe(true);
      });

      it('penalise() holds every handle for that long, then the budget carries on', async () => {
        first.budget('venue|spot|ip:a', limits).penalise(5_000);
        // Not awaited: it reaches the other handles within a round trip.
        await realSleep(200);
        const waiting = second.budget('venue|spot|ip:a', limits).acquire(1);
        expect(await settledWithin(waiting)).toBe(false);
        await advance(clock, 4_999);
        expect(await settledWithin(waiting)).toBe(false);
        await advance(clock, 1);
        expect(await settledWithin(waiting, 2_000)).toBe(true);
      });

      it('refuses a weight that can never fit, and gives up a wait when the signal aborts', async () => {
        const budget = first.budget('venue|spot|ip:a', limits);
        // Thrown or rejected: either way the call fails at once.
        await expect((async () => budget.acquire(11))()).rejects.toThrow(RangeError);
        await budget.acquire(10);
        const controller = new AbortController();
        const waiting = budget.acquire(1, controller.signal);
        expect(await settledWithin(waiting)).toBe(false);
        controller.abort(new Error('gave up'));
        await expect(waiting).rejects.toThrow('gave up');
      });
    });

    describe('breakers', () => {
      const breakerOptions = { name: 'venue-spot', failureThreshold: 2, openDurationMs: 10_000, halfOpenMaxTrials: 1, successThreshold: 1 };
      const outage = (): Promise<never> => Promise.reject(new Error('503'));

      it("one handle's failures open the breaker for every handle until the open period ends", async () => {
        const a = first.breaker('venue|spot', breakerOptions);
        const b = second.breaker('venue|spot', breakerOptions);
        await expect(a.execute(outage)).rejects.toThrow('503');
        await expect(a.execute(outage)).rejects.toThrow('503');
        const refused = await b.execute(() => Promise.resolve('sent')).catch((error: unknown) => error);
        expect(CircuitOpenError.isInstance(refused)).toBe(true);
        expect((refused as CircuitOpenError).state).toBe('open');
        expect(b.state).toBe('open');
        await advance(clock, 10_000);
        await expect(b.execute(() => Promise.resolve('sent'))).resolves.toBe('sent');
        expect(b.state).toBe('closed');
      });

      it('admits one half-open trial across handles; its success closes the breaker for all', async () => {
        const a = first.breaker('venue|spot', breakerOptions);
        const b = second.breaker('venue|spot', breakerOptions);
        await expect(a.execute(outage)).rejects.toThrow('503');
        await expect(b.execute(outage)).rejects.toThrow('503');
        await advance(clock, 10_000);
        let finishTrial: (value: string) => void = () => undefined;
        const trial = a.execute(() => new Promise<string>((resolve) => (finishTrial = resolve)));
        await realSleep(50);
        const refused = await b.execute(() => Promise.resolve('second trial')).catch((error: unknown) => error);
        expect(CircuitOpenError.isInstance(refused)).toBe(true);
        expect((refused as CircuitOpenError).state).toBe('half_open');
        finishTrial('trial');
        await expect(trial).resolves.toBe('trial');
        await expect(b.execute(() => Promise.resolve('after'))).resolves.toBe('after');
      });

      it('a result from a call admitted before the breaker opened does not close it', async () => {
        const a = first.breaker('venue|spot', breakerOptions);
        const b = second.breaker('venue|spot', breakerOptions);
        let finishSlow: (value: string) => void = () => undefined;
        const slow = a.execute(() => new Promise<string>((resolve) => (finishSlow = resolve)));
        await realSleep(50);
        await expect(b.execute(outage)).rejects.toThrow('503');
        await expect(b.execute(outage)).rejects.toThrow('503');
        finishSlow('late');
        await expect(slow).resolves.toBe('late');
        const refused = await a.execute(() => Promise.resolve('sent')).catch((error: unknown) => error);
        expect(CircuitOpenError.isInstance(refused)).toBe(true);
      });

      it("tells its onStateChange listener when it opens and closes; another worker's handle tells its own when it sees the change", async () => {
        const heardA: CircuitStateChange[] = [];
        const heardB: CircuitStateChange[] = [];
        const a = first.breaker('venue|spot', { ...breakerOptions, onStateChange: (change) => heardA.push(change) });
        const b = second.breaker('venue|spot', { ...breakerOptions, onStateChange: (change) => heardB.push(change) });
        await expect(a.execute(outage)).rejects.toThrow('503');
        await expect(a.execute(outage)).rejects.toThrow('503');
        expect(heardA.map(({ from, to, reason }) => [from, to, reason])).toEqual([['closed', 'open', 'failure_threshold']]);
        await expect(b.execute(() => Promise.resolve('sent'))).rejects.toThrow();
        // In one process both handles are one breaker, whose listeners are the first caller's.
        if (first !== second) expect(heardB.map(({ to }) => to)).toEqual(['open']);
        await advance(clock, 10_000);
        await expect(a.execute(() => Promise.resolve('sent'))).resolves.toBe('sent');
        expect(heardA.at(-1)?.to).toBe('closed');
        expect(heardA.every((change) => change.circuit === 'venue-spot')).toBe(true);
      });

      it('an error the breaker does not count leaves it closed', async () => {
        const notCounted = { ...breakerOptions, isFailure: (error: unknown) => (error as Error).message !== 'refused' };
        const a = first.breaker('venue|spot', notCounted);
        for (let i = 0; i < 3; i += 1) await expect(a.execute(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
        await expect(second.breaker('venue|spot', notCounted).execute(() => Promise.resolve('sent'))).resolves.toBe('sent');
      });
    });

    describe('cache', () => {
      it('loads a key once however many handles ask at the same time, and again after its TTL', async () => {
        let loads = 0;
        const load = async (): Promise<string> => {
          loads += 1;
          await realSleep(50);
          return `catalogue ${loads}`;
        };
        const answers = await Promise.all([first.cache.getOrLoad('markets', 200, load), second.cache.getOrLoad('markets', 200, load), first.cache.getOrLoad('markets', 200, load)]);
        expect(answers).toEqual(['catalogue 1', 'catalogue 1', 'catalogue 1']);
        expect(await second.cache.getOrLoad('markets', 200, load)).toBe('catalogue 1');
        await clock.advance(250);
        await realSleep(250);
        expect(await second.cache.getOrLoad('markets', 200, load)).toBe('catalogue 2');
        expect(loads).toBe(2);
      });
    });
  });
}
