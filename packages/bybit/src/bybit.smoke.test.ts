import { VenueRuntimeRegistry } from '@xport/ccxt';
import { Decimal, InsufficientBalanceError, InvalidLeverageError, PositionNotFoundError, SymbolNotFoundError } from '@xport/core';
import type { OrderResult, PositionMode } from '@xport/core';
import { startSimulator } from '@xport/simulator';
import type { LedgerOrder, Simulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBybitAdapter } from './create-bybit-adapter';
import type { BybitAdapterOptions } from './create-bybit-adapter';

/** Real time for timestamps, but any wait (retry, backoff, rate-limit queue) fails the test. */
const noWaitClock: NonNullable<BybitAdapterOptions['clock']> = {
  now: () => Date.now(),
  sleep: (ms) => (ms <= 0 ? Promise.resolve() : Promise.reject(new Error(`unexpected wait of ${ms} ms`))),
};

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11 });
});

afterAll(async () => {
  await sim.close();
});

function account(positionMode: PositionMode = 'oneway'): { apiKey: string; secret: string } {
  return sim.accounts.create({ venue: 'bybit', balances: { USDT: '10000', BTC: '1' }, positionMode });
}

function adapterFor(keys: { apiKey: string; secret: string }, positionMode?: PositionMode): ReturnType<typeof createBybitAdapter> {
  return createBybitAdapter({
    apiKey: keys.apiKey,
    apiSecret: keys.secret,
    baseUrl: `${sim.url}/bybit`,
    clock: noWaitClock,
    registry: new VenueRuntimeRegistry(),
    ...(positionMode === undefined ? {} : { positionMode }),
  });
}

/** The signed requests one account sent, as `METHOD path` without the /bybit prefix. */
function sent(apiKey: string): string[] {
  return sim.requests({ exchange: 'bybit', apiKey }).map((entry) => `${entry.method} ${entry.path.replace(/^\/bybit/, '')}`);
}

function ledger(apiKey: string): LedgerOrder[] {
  return sim.ledger.orders({ venue: 'bybit', apiKey });
}

/** The result must be exactly what the venue executed. */
function expectMatchesLedger(result: OrderResult, order: LedgerOrder | undefined): void {
  expect(order).toBeDefined();
  if (order === undefined) return;
  expect(result.orderId).toBe(order.orderId);
  expect(result.clientOrderId).toBe(order.clientOrderId);
  expect(result.status).toBe('filled');
  expect(result.filledQuantity.toFixed()).toBe(order.quantity.toFixed());
  expect(result.averagePrice?.toFixed()).toBe(order.price.toFixed());
  expect(result.fee?.amount.toFixed()).toBe(order.fee.toFixed());
  expect(result.fee?.asset).toBe(order.feeAsset);
  expect(result.reduceOnly).toBe(order.reduceOnly);
}

describe('@xport/bybit against the simulator', () => {
  it('initialises with one market load and one position-list call, and finds one-way mode', async () => {
    const keys = account();
    const adapter = adapterFor(keys);
    await adapter.initialize();
    expect(adapter.positionMode).toBe('oneway');
    expect(adapter.runtime.marketLoads).toBe(1);
    // No currencies call and no account-type probes: the only signed request is the mode discovery.
    expect(sent(keys.apiKey)).toEqual(['GET /v5/position/list']);
    const paths = sim.requests({ exchange: 'bybit' }).map((entry) => entry.path);
    expect(paths).not.toContain('/bybit/v5/asset/coin/query-info');
  });

  it('takes the position mode from the options without asking', async () => {
    const keys = account('hedge');
    const adapter = adapterFor(keys, 'hedge');
    await adapter.initialize();
    expect(adapter.positionMode).toBe('hedge');
    expect(sent(keys.apiKey)).toEqual([]);
  });

  it('buys and sells spot by base quantity, moving the unified wallet by exactly quantity, cost and fee (in the coin received)', async () => {
    const keys = account();
    const adapter = adapterFor(keys);
    const before = sim.balances('bybit', keys.apiKey).spot;

    const buy = await adapter.executeSpotBuy('BTC/USDT', new Decimal('0.0100004'), { clientOrderId: 'smoke-spot-buy_1' });
    const [bought] = ledger(keys.apiKey);
    expectMatchesLedger(buy, bought);
    // Rounded down to the 0.000001 step, never up.
    expect(buy.filledQuantity.toFixed()).toBe('0.01');
    expect(buy.clientOrderId).toBe('smoke-spot-buy_1');
    expect(buy.marketType).toBe('spot');
    expect(bought?.market).toBe('spot');
    const afterBuy = sim.balances('bybit', keys.apiKey).spot;
    // The fee of a spot buy comes out of the base received: 0.01 × 0.1% = 0.00001 BTC.
    expect(buy.fee).toMatchObject({ asset: 'BTC' });
    expect(afterBuy.BTC?.free.minus(before.BTC?.free ?? 0).toFixed()).toBe('0.00999');
    expect(before.USDT?.free.minus(afterBuy.USDT?.free ?? 0).toFixed()).toBe(bought?.cost.toFixed());

    const sell = await adapter.executeSpotSell('BTC/USDT', new Decimal('0.004'));
    const sold = ledger(keys.apiKey)[1];
    expectMatchesLedger(sell, sold);
    expect(sold?.side).toBe('sell');
    expect(sell.fee).toMatchObject({ asset: 'USDT' });
    expect(sim.balances('bybit', keys.apiKey).spot.BTC?.free.toFixed()).toBe('1.00599');
    expect(sent(keys.apiKey).filter((line) => line.startsWith('POST'))).toEqual(['POST /v5/order/create', 'POST /v5/order/create']);
  });

  it('reads the one unified wallet for both markets', async () => {
    const keys = account();
    const adapter = adapterFor(keys);
    await adapter.executeFuturesLong('ETH/USDT', new Decimal('1'), 10);
    const wallet = sim.balances('bybit', keys.apiKey).spot;
    for (const market of ['spot', 'futures'] as const) {
      const balances = await adapter.getBalances({ market });
      expect(balances.map((balance) => [balance.asset, balance.free.toFixed(), balance.locked.toFixed(), balance.market])).toEqual(
        Object.values(wallet)
          .filter((balance) => !balance.free.plus(balance.locked).isZero())
          .sort((a, b) => a.asset.localeCompare(b.asset))
          .map((balance) => [balance.asset, balance.free.toFixed(), balance.locked.toFixed(), market]),
      );
    }
    const usdt = await adapter.getBalance('usdt', { market: 'futures' });
    expect(usdt.free.toFixed()).toBe(wallet.USDT?.free.toFixed());
    expect(usdt.locked.toFixed()).toBe(wallet.USDT?.locked.toFixed());
    expect((await adapter.getBalance('SOL')).total.toFixed()).toBe('0');
  });

  it("gives each market's symbol rules as the venue lists them", async () => {
    const adapter = adapterFor(account());
    const spot = await adapter.getSymbolInfo('BTC/USDT');
    expect([spot.exchangeSymbol, spot.quantityStep.toFixed(), spot.minQuantity.toFixed(), spot.minNotional.toFixed(), spot.priceTick.toFixed(), spot.maxLeverage]).toEqual([
      'BTCUSDT',
      '0.000001',
      '0.000048',
      '1',
      '0.01',
      undefined,
    ]);
    const perp = await adapter.getSymbolInfo('XRP/USDT', { market: 'futures' });
    expect([perp.exchangeSymbol, perp.quantityStep.toFixed(), perp.minQuantity.toFixed(), perp.minNotional.toFixed(), perp.maxLeverage]).toEqual(['XRPUSDT', '1', '1', '5', 75]);
    await expect(adapter.getSymbolInfo('NOPE/USDT', { market: 'futures' })).rejects.toBeInstanceOf(SymbolNotFoundError);
  });

  it('opens and closes one-way positions on positionIdx 0, setting the leverage once', async () => {
    const keys = account();
    const adapter = adapterFor(keys);
    const long = await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.0109'), 5);
    expectMatchesLedger(long, ledger(keys.apiKey)[0]);
    expect(long.filledQuantity.toFixed()).toBe('0.01');
    expect(long.positionSide).toBe('long');
    expect(sim.positions('bybit', keys.apiKey, 'BTCUSDT').map((p) => [p.side, p.signedSize.toFixed(), p.leverage])).toEqual([['both', '0.01', 5]]);

    const close = await adapter.closeFuturesPosition('BTC/USDT', 'long');
    const closed = ledger(keys.apiKey)[1];
    expectMatchesLedger(close, closed);
    expect([closed?.side, closed?.reduceOnly, closed?.quantity.toFixed()]).toEqual(['sell', true, '0.01']);
    expect(sim.positions('bybit', keys.apiKey, 'BTCUSDT')).toEqual([]);

    const short = await adapter.executeFuturesShort('BTC/USDT', new Decimal('0.02'), 5);
    expectMatchesLedger(short, ledger(keys.apiKey)[2]);
    expect(sim.positions('bybit', keys.apiKey, 'BTCUSDT').map((p) => [p.side, p.signedSize.toFixed()])).toEqual([['both', '-0.02']]);
    await adapter.closeFuturesPosition('BTC/USDT', 'short');
    expect(sim.positions('bybit', keys.apiKey)).toEqual([]);
    expect(ledger(keys.apiKey).map((order) => [order.side, order.positionSide, order.reduceOnly])).toEqual([
      ['buy', 'both', false],
      ['sell', 'both', true],
      ['sell', 'both', false],
      ['buy', 'both', true],
    ]);
    // Same leverage for the same symbol: one request, not one per order.
    expect(sent(keys.apiKey).filter((line) => line.endsWith('/set-leverage'))).toHaveLength(1);
  });

  it('opens and closes each hedge leg on positionIdx 1 and 2', async () => {
    const keys = account('hedge');
    const adapter = adapterFor(keys);
    await adapter.initialize();
    expect(adapter.positionMode).toBe('hedge');

    await adapter.executeFuturesLong('ETH/USDT', new Decimal('2'), 20);
    await adapter.executeFuturesShort('ETH/USDT', new Decimal('1'), 20);
    expect(
      sim
        .positions('bybit', keys.apiKey, 'ETHUSDT')
        .map((p) => [p.side, p.size.toFixed(), p.leverage])
        .sort(),
    ).toEqual([
      ['long', '2', 20],
      ['short', '1', 20],
    ]);

    const closeLong = await adapter.closeFuturesPosition('ETH/USDT', 'long');
    expectMatchesLedger(closeLong, ledger(keys.apiKey)[2]);
    expect(closeLong.positionSide).toBe('long');
    expect(sim.positions('bybit', keys.apiKey, 'ETHUSDT').map((p) => [p.side, p.size.toFixed()])).toEqual([['short', '1']]);
    await adapter.closeFuturesPosition('ETH/USDT', 'short');
    expect(sim.positions('bybit', keys.apiKey)).toEqual([]);
    expect(ledger(keys.apiKey).map((order) => [order.side, order.positionSide, order.reduceOnly, order.quantity.toFixed()])).toEqual([
      ['buy', 'long', false, '2'],
      ['sell', 'short', false, '1'],
      ['sell', 'long', true, '2'],
      ['buy', 'short', true, '1'],
    ]);
  });

  it('refuses a close with nothing open, and bad orders, without sending an order', async () => {
    const keys = account();
    const adapter = adapterFor(keys);
    await expect(adapter.closeFuturesPosition('BTC/USDT', 'short')).rejects.toBeInstanceOf(PositionNotFoundError);
    await expect(adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 101)).rejects.toBeInstanceOf(InvalidLeverageError);
    await expect(adapter.executeSpotBuy('NOPE/USDT', new Decimal('1'))).rejects.toBeInstanceOf(SymbolNotFoundError);
    expect(sent(keys.apiKey).filter((line) => line.startsWith('POST'))).toEqual([]);
  });

  it("keeps Bybit's code on a refusal", async () => {
    const keys = account();
    const adapter = adapterFor(keys);
    const error: unknown = await adapter.executeSpotBuy('BTC/USDT', new Decimal('5')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect((error as InsufficientBalanceError).code).toBe('170131');
    expect(ledger(keys.apiKey)).toEqual([]);
  });
});
