// First: ccxt must capture the switchable Date.now when it loads.
import { followClock } from './test-support/wall-clock';

import { createBinanceAdapter } from '@xport/binance';
import { VenueRuntimeRegistry } from '@xport/ccxt';
import type { AccountRequestBudgets, VenueEvent } from '@xport/ccxt';
import { Decimal } from '@xport/core';
import { InstantClock } from '@xport/contract-tests';
import { InProcessSharedState } from '@xport/resilience';
import type { SharedState } from '@xport/resilience';
import { startSimulator, systemClock } from '@xport/simulator';
import type { Simulator } from '@xport/simulator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { RedisVenueState } from './redis-venue-state';
import { connect, deleteKeys, uniquePrefix } from './test-support/redis';

const admin = connect();
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  followClock(undefined);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(() => admin.quit());

/** The simulator's spot order count per account: 3 per 10 s (the real one is 100). */
const ORDERS_PER_10S = 3;
/** The same count, told to the adapters in place of Binance's published 100. */
const ACCOUNT_BUDGETS: AccountRequestBudgets = {
  spot: { createOrder: [{ name: 'orders-10s', capacity: ORDERS_PER_10S, intervalMs: 10_000, usedHeader: 'x-mbx-order-count-10s' }] },
};
const ORDERS_PER_WORKER = 5;

type Sharing = 'in-process' | 'redis' | 'none';

/**
 * Two workers (each its own registry, as two processes have) trading one Binance account on one
 * clock with the simulator, taking turns at spot buys; `sharing` says where their venue
 * state lives: one InProcessSharedState, two RedisVenueStates on one Redis, or each its own.
 */
async function twoWorkersOnOneAccount(sharing: Sharing): Promise<{ sim: Simulator; apiKey: string; events: VenueEvent[] }> {
  const clock = new InstantClock();
  // Spot fills leave the unfilled count only after a minute: every order counts for its whole window.
  const sim = await startSimulator({
    port: 0,
    seed: 3,
    budgets: { binanceSpotOrdersPer10s: ORDERS_PER_10S, binanceSpotFillDecrementMs: 60_000 },
    clock: { now: () => clock.now(), setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms) },
  });
  const keys = sim.accounts.create({ venue: 'binance', balances: { USDT: '100000' } });
  const prefix = uniquePrefix('shared-account-budgets');
  const states: (SharedState | undefined)[] = [];
  if (sharing === 'in-process') {
    const shared = new InProcessSharedState({ clock });
    states.push(shared, shared);
  } else if (sharing === 'redis') {
    states.push(new RedisVenueState({ redis: connect(), keyPrefix: prefix, clock }), new RedisVenueState({ redis: connect(), keyPrefix: prefix, clock }));
  } else {
    states.push(undefined, undefined);
  }
  cleanups.push(async () => {
    await deleteKeys(admin, prefix);
    for (const state of states) if (state instanceof RedisVenueState) await state.redis.quit();
    await sim.close();
  });
  const events: VenueEvent[] = [];
  const adapters = states.map((venueState) =>
    createBinanceAdapter({
      apiKey: keys.apiKey,
      apiSecret: keys.secret,
      baseUrl: `${sim.url}/binance`,
      clock,
      registry: new VenueRuntimeRegistry(),
      positionMode: 'oneway',
      venueState,
      accountBudgets: ACCOUNT_BUDGETS,
      onVenueEvent: (event) => events.push(event),
    }),
  );
  // ccxt signs with Date.now(): the wall clock follows the test's, so waits keep timestamps the venue's.
  followClock(clock);
  await Promise.all(adapters.map((adapter) => adapter.initialize()));
  // The workers take turns, one order at a time: each worker's order is sent right after the
  // other's was answered, so only what the two share keeps the account inside its count. (One at a
  // time because the instant clock jumps on every wait: a request in flight during another's wait
  // would land in a later window than it was granted in.)
  for (let round = 0; round < ORDERS_PER_WORKER; round++) {
    for (const adapter of adapters) await adapter.executeSpotBuy('BTCUSDT', new Decimal('0.001'));
  }
  await Promise.all(adapters.map((adapter) => adapter.close()));
  return { sim, apiKey: keys.apiKey, events };
}

/** What the venue answered to the account's order requests, in order. */
function orderStatuses(sim: Simulator, apiKey: string): number[] {
  return sim.requests({ exchange: 'binance', apiKey }).filter((entry) => entry.method === 'POST' && entry.path.endsWith('/api/v3/order')).map((entry) => entry.status);
}

/** Accepted orders per 10 s window of the venue's clock, the window its order count uses. */
function ordersPerWindow(sim: Simulator, apiKey: string): number[] {
  const perWindow = new Map<number, number>();
  for (const entry of sim.requests({ exchange: 'binance', apiKey })) {
    if (entry.method !== 'POST' || !entry.path.endsWith('/api/v3/order') || entry.status !== 200) continue;
    const window = Math.floor(entry.time / 10_000);
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  return [...perWindow.values()];
}

describe('two workers on one Binance account', { timeout: 120_000 }, () => {
  it.each(['in-process', 'redis'] as const)('sharing one %s state: one order count for the account, never a -1015, every order placed once', async (sharing) => {
    const { sim, apiKey, events } = await twoWorkersOnOneAccount(sharing);

    expect(orderStatuses(sim, apiKey).filter((status) => status !== 200)).toEqual([]);
    expect(sim.ledger.orders({ venue: 'binance', apiKey, market: 'spot' })).toHaveLength(2 * ORDERS_PER_WORKER);
    expect(Math.max(...ordersPerWindow(sim, apiKey))).toBeLessThanOrEqual(ORDERS_PER_10S);
    expect(events.filter((event) => event.type === 'rate_limited')).toEqual([]);
    // Orders past the count waited at the account's budget, and the hook says so.
    const accountWaits = events.filter((event) => event.type === 'budget_wait' && event.scope === 'account' && event.waitedMs > 0);
    expect(accountWaits.length).toBeGreaterThan(0);
  });

  it('each with its own state: the venue refuses with -1015, and the hook reports every refusal', async () => {
    const { sim, apiKey, events } = await twoWorkersOnOneAccount('none');

    const refused = orderStatuses(sim, apiKey).filter((status) => status === 429).length;
    expect(refused).toBeGreaterThan(0);
    // The refused orders went again: each placed once.
    expect(sim.ledger.orders({ venue: 'binance', apiKey, market: 'spot' })).toHaveLength(2 * ORDERS_PER_WORKER);
    const limited = events.filter((event) => event.type === 'rate_limited');
    expect(limited).toHaveLength(refused);
    expect(new Set(limited.map((event) => `${event.refusal} ${event.scope}`))).toEqual(new Set(['-1015 account']));
  });
});
