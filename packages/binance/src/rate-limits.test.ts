import { VenueRuntimeRegistry } from '@xport/ccxt';
import type { CcxtExchangeAdapter } from '@xport/ccxt';
import { InstantClock } from '@xport/contract-tests';
import { Decimal } from '@xport/core';
import type { ExchangeEvent } from '@xport/core';
import { startSimulator, systemClock } from '@xport/simulator';
import type { RateLimitBudgets, Simulator } from '@xport/simulator';
import { afterEach, describe, expect, it } from 'vitest';

import { createBinanceAdapter } from './create-binance-adapter';

const opened: Simulator[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()));
});

/**
 * An account and its adapter, on one clock with the simulator: the adapter's waits move the
 * simulator's order-count windows, and nothing waits for real.
 */
async function trader(budgets: RateLimitBudgets): Promise<{ sim: Simulator; clock: InstantClock; apiKey: string; adapter: CcxtExchangeAdapter; events: ExchangeEvent[] }> {
  const clock = new InstantClock();
  const sim = await startSimulator({
    port: 0,
    seed: 9,
    budgets,
    clock: { now: () => clock.now(), setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms) },
  });
  opened.push(sim);
  const keys = sim.accounts.create({ venue: 'binance', balances: { USDT: '100000' }, futuresBalances: { USDT: '100000' } });
  const events: ExchangeEvent[] = [];
  const adapter = createBinanceAdapter({
    apiKey: keys.apiKey,
    apiSecret: keys.secret,
    baseUrl: `${sim.url}/binance`,
    clock,
    registry: new VenueRuntimeRegistry(),
    positionMode: 'oneway',
    onEvent: (event) => events.push(event),
  });
  await adapter.initialize();
  return { sim, clock, apiKey: keys.apiKey, adapter, events };
}

function orderStatuses(sim: Simulator, apiKey: string, path: string): number[] {
  return sim
    .requests({ exchange: 'binance', apiKey })
    .filter((entry) => entry.method === 'POST' && entry.path.endsWith(path))
    .map((entry) => entry.status);
}

describe("@xport/binance under Binance's order counts", { timeout: 30_000 }, () => {
  it('USDⓈ-M: a -1015 is a refusal that sent nothing; the order goes again with the same client id after the window it names, and is placed once', async () => {
    const { sim, clock, apiKey, adapter, events } = await trader({ binanceFuturesOrdersPer10s: 2 });
    await adapter.executeFuturesLong('BTCUSDT', new Decimal('0.002'), 5);
    await adapter.executeFuturesLong('BTCUSDT', new Decimal('0.002'), 5);
    const before = clock.now();

    const third = await adapter.executeFuturesLong('BTCUSDT', new Decimal('0.002'), 5, { clientOrderId: 'after-1015' });

    const ledger = sim.ledger.orders({ venue: 'binance', apiKey, market: 'futures' });
    expect(ledger).toHaveLength(3);
    expect(ledger.filter((order) => order.clientOrderId === 'after-1015')).toHaveLength(1);
    expect(third.orderId).toBe(ledger.at(-1)?.orderId);
    expect(orderStatuses(sim, apiKey, '/fapi/v1/order')).toEqual([200, 200, 429, 200]);
    const retry = events.find((event) => event.name === 'exchange.order.retry_not_sent');
    // USDⓈ-M sends no Retry-After: the wait is the window the refusal names ("per 10 SECOND").
    expect(retry?.fields.delayMs).toBe(10_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(10_000);
    // An account's order count is that account's: the IP's weight budget was not paused for it.
    expect(adapter.runtime.limiter('futures').usage.pausedUntil).toBeLessThan(before);
  });

  it("spot: a -1015 is waited out for its Retry-After, and the order is placed once", async () => {
    const { sim, apiKey, adapter, events } = await trader({ binanceSpotOrdersPer10s: 1, binanceSpotFillDecrementMs: 5_000 });
    await adapter.executeSpotBuy('BTCUSDT', new Decimal('0.001'));

    await adapter.executeSpotBuy('BTCUSDT', new Decimal('0.001'), { clientOrderId: 'spot-after-1015' });

    const ledger = sim.ledger.orders({ venue: 'binance', apiKey, market: 'spot' });
    expect(ledger.map((order) => order.clientOrderId)).toContain('spot-after-1015');
    expect(ledger).toHaveLength(2);
    expect(orderStatuses(sim, apiKey, '/api/v3/order')).toEqual([200, 429, 200]);
    const retry = events.find((event) => event.name === 'exchange.order.retry_not_sent');
    expect(retry?.fields.delayMs).toBeGreaterThanOrEqual(1_000);
    expect(adapter.runtime.limiter('spot').usage.pausedUntil).toBe(Number.NEGATIVE_INFINITY);
  });
});
