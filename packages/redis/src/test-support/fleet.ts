import { setTimeout as sleepReal } from 'node:timers/promises';

import { followClock } from './wall-clock';

import { createBinanceAdapter } from '@xport/binance';
import { VenueRuntimeRegistry } from '@xport/ccxt';
import type { CcxtExchangeAdapter, VenueEventListener } from '@xport/ccxt';
import type { FakeClock } from '@xport/resilience';
import type { SharedState } from '@xport/resilience';
import { startSimulator, systemClock } from '@xport/simulator';
import type { Simulator } from '@xport/simulator';

/** 20 s into a minute, near real time (ccxt signs with the wall clock plus the measured difference). */
export function fleetStart(): number {
  return Math.floor(Date.now() / 60_000) * 60_000 + 20_000;
}

/** A simulator with Binance's real budgets, on `clock`. */
export async function binanceSimulator(clock: FakeClock): Promise<Simulator> {
  return startSimulator({
    port: 0,
    seed: 7,
    clock: { now: () => clock.now(), setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms) },
  });
}

/**
 * One worker process: its own VenueRuntimeRegistry (nothing in common with another worker but the
 * venue state passed in), `count` Binance accounts, requests sent from `address`.
 */
export function worker(sim: Simulator, clock: FakeClock, count: number, address: string, venueState: SharedState | undefined, maxRetries = 5, onVenueEvent?: VenueEventListener): CcxtExchangeAdapter[] {
  const registry = new VenueRuntimeRegistry();
  return Array.from({ length: count }, () => {
    const keys = sim.accounts.create({ venue: 'binance', balances: { USDT: '1000' } });
    return createBinanceAdapter({
      apiKey: keys.apiKey,
      apiSecret: keys.secret,
      baseUrl: `${sim.url}/binance`,
      clock,
      registry,
      positionMode: 'oneway',
      localAddress: address,
      venueState,
      // A refused read is retried after the venue's wait, as in production.
      retry: { maxRetries },
      onVenueEvent,
    });
  });
}

/** Every adapter initialises and reads its spot balance; what each read ended in, and how many are still at it. */
export function readAll(adapters: readonly CcxtExchangeAdapter[]): { readonly results: Promise<PromiseSettledResult<unknown>[]>; readonly unfinished: () => number } {
  let unfinished = adapters.length;
  const results = Promise.allSettled(
    adapters.map(async (adapter) => {
      try {
        await adapter.initialize();
        return await adapter.getBalance('USDT', { market: 'spot' });
      } finally {
        unfinished -= 1;
      }
    }),
  );
  return { results, unfinished: () => unfinished };
}

/**
 * Runs `work` on fake time: once every unfinished task sleeps on the clock (or, failing that count,
 * the simulator has seen no request for a while and someone sleeps), time moves to the earliest wake.
 */
export async function onFakeTime<T>(clock: FakeClock, sim: Simulator, work: Promise<T>, unfinished: () => number): Promise<T> {
  // ccxt signs with Date.now(): the wall clock follows the fake one, so timestamps stay the venue's.
  followClock(clock);
  try {
    return await drive(clock, sim, work, unfinished);
  } finally {
    followClock(undefined);
  }
}

async function drive<T>(clock: FakeClock, sim: Simulator, work: Promise<T>, unfinished: () => number): Promise<T> {
  const state = { done: false };
  const finished = work.finally(() => (state.done = true));
  let seen = -1;
  let quietFor = 0;
  while (!state.done) {
    await sleepReal(25);
    const requests = sim.requests({ exchange: 'binance' }).length;
    if (requests !== seen) {
      seen = requests;
      quietFor = 0;
      continue;
    }
    quietFor += 25;
    // Quiet: nothing in flight at the venue, everyone left is waiting on the clock.
    const allAsleep = unfinished() > 0 && clock.pendingSleeps >= unfinished();
    if ((allAsleep && quietFor >= 100) || (quietFor >= 1_500 && clock.pendingSleeps > 0)) {
      await clock.advanceToNextWake();
      quietFor = 0;
    }
  }
  return finished;
}

export function statusesOf(sim: Simulator): number[] {
  return sim.requests({ exchange: 'binance' }).map((entry) => entry.status);
}

export async function closeAll(adapters: readonly CcxtExchangeAdapter[]): Promise<void> {
  await Promise.all(adapters.map((adapter) => adapter.close()));
}

