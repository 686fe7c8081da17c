import type { Balances, Exchange, MarketInterface, Order, Position } from 'ccxt';
import { describe, expect, expectTypeOf, it } from 'vitest';

import type { CcxtBalances, CcxtExchange, CcxtMarket, CcxtOrder, CcxtPosition } from './ccxt-types';
import { loadExchangeClass } from './load-exchange-class';

// The declared shapes stand in for ccxt's in our published types: ccxt's own values must fit them,
// and an order a venue profile returns must fit where the adapter uses ccxt's Order.
describe('the ccxt shapes in the public types', () => {
  it("accept ccxt's own types, and an order goes back as ccxt's Order", () => {
    expectTypeOf<Exchange>().toExtend<CcxtExchange>();
    expectTypeOf<MarketInterface>().toExtend<CcxtMarket>();
    expectTypeOf<Balances>().toExtend<CcxtBalances>();
    expectTypeOf<Order>().toExtend<CcxtOrder>();
    expectTypeOf<CcxtOrder>().toExtend<Order>();
    expectTypeOf<Position>().toExtend<CcxtPosition>();
  });

  it.each(['binance', 'bybit', 'bitget'])('%s: a real instance has every member CcxtExchange names', async (id) => {
    const { exchangeClass } = await loadExchangeClass(id);
    const instance = new exchangeClass() as unknown as Record<string, unknown>;
    const methods = ['market', 'fetchMarkets', 'setSandboxMode', 'enableDemoTrading', 'fetchOrder', 'fetchClosedOrders', 'fetchCanceledAndClosedOrders', 'fetchTicker', 'fetchPositions', 'fetchPositionMode', 'fetchLeverage', 'fetchLeverageTiers'];
    for (const method of methods) expect(typeof instance[method], method).toBe('function');
    expect(instance.options).toBeTypeOf('object');
    expect(Array.isArray(instance.symbols) || instance.symbols === undefined).toBe(true);
  });
});
