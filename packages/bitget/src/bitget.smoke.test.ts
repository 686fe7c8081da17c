import { VenueRuntimeRegistry } from '@xport/ccxt';
import type { CcxtExchangeAdapter } from '@xport/ccxt';
import { AuthenticationError, ConfigurationError, Decimal, PositionNotFoundError } from '@xport/core';
import type { OrderResult, PositionMode } from '@xport/core';
import { startSimulator } from '@xport/simulator';
import type { LedgerOrder, SimAccount, Simulator } from '@xport/simulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createBitgetAdapter } from './create-bitget-adapter';

/** Every port method against a real simulator, checked against the simulator's own books. */
describe('bitget smoke: createBitgetAdapter against the simulator', () => {
  let sim: Simulator;
  // One registry for the file, as in a process: Bitget's contract list allows 20 requests a second
  // per IP and each market load sends six, so a load per test would meet the venue's 429.
  let registry: VenueRuntimeRegistry;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7 });
    registry = new VenueRuntimeRegistry();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.prices.set('BTCUSDT', '65000', 'bitget');
    sim.prices.set('ETHUSDT', '3500', 'bitget');
  });

  function open(
    positionMode?: PositionMode,
    overrides: { readonly passphrase?: string; readonly registry?: VenueRuntimeRegistry; readonly priceMaxAgeMs?: number } = {},
  ): { account: SimAccount; adapter: CcxtExchangeAdapter } {
    const account = sim.accounts.create({
      venue: 'bitget',
      balances: { USDT: '10000', BTC: '1' },
      futuresBalances: { USDT: '5000' },
      ...(positionMode === undefined ? {} : { positionMode }),
    });
    const adapter = createBitgetAdapter({
      apiKey: account.apiKey,
      apiSecret: account.secret,
      passphrase: overrides.passphrase ?? account.passphrase,
      baseUrl: `${sim.url}/bitget`,
      registry: overrides.registry ?? registry,
      ...(overrides.priceMaxAgeMs === undefined ? {} : { priceMaxAgeMs: overrides.priceMaxAgeMs }),
    });
    return { account, adapter };
  }

  const ledger = (account: SimAccount): LedgerOrder[] => sim.ledger.orders({ venue: 'bitget', apiKey: account.apiKey });

  function expectMatchesLedger(result: OrderResult, row: LedgerOrder | undefined): void {
    expect(row).toBeDefined();
    expect(result.orderId).toBe(row?.orderId);
    expect(result.clientOrderId).toBe(row?.clientOrderId);
    expect(result.status).toBe('filled');
    expect(result.filledQuantity.toFixed()).toBe(row?.quantity.toFixed());
    expect(result.averagePrice?.toFixed()).toBe(row?.price.toFixed());
    expect(result.fee?.amount.toFixed()).toBe(row?.fee.toFixed());
    expect(result.fee?.asset).toBe(row?.feeAsset);
  }

  it('initialize discovers one-way mode and loads markets once per registry', async () => {
    const own = new VenueRuntimeRegistry();
    const contractLists = (): number => sim.requests({ exchange: 'bitget' }).filter((entry) => entry.path.endsWith('/api/v2/mix/market/contracts')).length;
    const before = contractLists();
    const first = open(undefined, { registry: own });
    const second = open(undefined, { registry: own });
    await first.adapter.initialize();
    await second.adapter.initialize();
    expect(first.adapter.positionMode).toBe('oneway');
    expect(second.adapter.positionMode).toBe('oneway');
    expect(first.adapter.runtime.marketLoads).toBe(1);
    // One list per product type ccxt knows, once for both adapters.
    expect(contractLists() - before).toBe(6);
  });

  it('getSymbolInfo reads the simulator catalogue for spot and USDT-M', async () => {
    const { adapter } = open();
    const spot = await adapter.getSymbolInfo('BTC/USDT');
    expect(spot.exchangeSymbol).toBe('BTCUSDT');
    expect(spot.quantityStep.toFixed()).toBe('0.000001');
    expect(spot.priceTick.toFixed()).toBe('0.01');
    expect(spot.minNotional.toFixed()).toBe('1');
    const futures = await adapter.getSymbolInfo('BTC/USDT', { market: 'futures' });
    expect(futures.quantityStep.toFixed()).toBe('0.0001');
    expect(futures.minQuantity.toFixed()).toBe('0.0001');
    expect(futures.priceTick.toFixed()).toBe('0.1');
    expect(futures.maxLeverage).toBe(125);
    // The market-order cap (maxMarketOrderQty), which ccxt does not read.
    expect(futures.maxQuantity?.toFixed()).toBe('100');
  });

  it('spot buy and sell move the spot wallet by exactly quantity, cost and fee, each fee in the asset received', async () => {
    const { account, adapter } = open();
    const buy = await adapter.executeSpotBuy('BTC/USDT', new Decimal('0.01'));
    const buyRow = ledger(account)[0];
    expectMatchesLedger(buy, buyRow);
    expect(buyRow).toMatchObject({ market: 'spot', side: 'buy', symbol: 'BTCUSDT' });
    expect(buyRow?.quantity.toFixed()).toBe('0.01');

    const sell = await adapter.executeSpotSell('BTC/USDT', new Decimal('0.004'));
    const sellRow = ledger(account)[1];
    expectMatchesLedger(sell, sellRow);
    expect(sellRow).toMatchObject({ side: 'sell' });

    expect(buy.fee).toMatchObject({ asset: 'BTC' });
    expect(sell.fee).toMatchObject({ asset: 'USDT' });
    const wallet = sim.balances('bitget', account.apiKey).spot;
    // 0.01 bought less its 0.00001 BTC fee, 0.004 sold.
    expect(wallet.BTC?.free.toFixed()).toBe('1.00599');
    // 650 spent, 260 - 0.26 fee received.
    expect(wallet.USDT?.free.toFixed()).toBe('9609.74');
    const balances = await adapter.getBalances();
    expect(balances.map((balance) => [balance.asset, balance.free.toFixed(), balance.locked.toFixed()])).toEqual([
      ['BTC', '1.00599', '0'],
      ['USDT', '9609.74', '0'],
    ]);
    expect((await adapter.getBalance('usdt')).free.toFixed()).toBe('9609.74');
  });

  it('a spot market buy buys exactly the base quantity asked for, at an awkward price', async () => {
    sim.prices.set('BTCUSDT', '65432.17', 'bitget');
    // The price was set just now, while earlier tests' buys left a read of 65000 younger than the
    // default priceMaxAgeMs: this buy must read the ask afresh (shared-price.test.ts covers reuse).
    const { account, adapter } = open(undefined, { priceMaxAgeMs: 0 });
    const buy = await adapter.executeSpotBuy('BTC/USDT', new Decimal('0.001234'));
    const row = ledger(account)[0];
    expect(row?.quantity.toFixed()).toBe('0.001234');
    expectMatchesLedger(buy, row);
    expect(buy.requestedQuantity.toFixed()).toBe('0.001234');
  });

  it('one-way futures: long and short with leverage, then close each side', async () => {
    const { account, adapter } = open();
    const long = await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 10);
    expectMatchesLedger(long, ledger(account)[0]);
    expect(ledger(account)[0]).toMatchObject({ market: 'futures', side: 'buy', positionSide: 'both', reduceOnly: false });
    expect(long.positionSide).toBe('long');
    const short = await adapter.executeFuturesShort('ETH/USDT', new Decimal('0.5'), 5);
    expectMatchesLedger(short, ledger(account)[1]);

    const positions = sim.positions('bitget', account.apiKey);
    expect(positions.map((position) => [position.symbol, position.signedSize.toFixed(), position.leverage])).toEqual([
      ['BTCUSDT', '0.01', 10],
      ['ETHUSDT', '-0.5', 5],
    ]);

    const close = await adapter.closeFuturesPosition('BTC/USDT', 'long');
    expectMatchesLedger(close, ledger(account)[2]);
    expect(ledger(account)[2]).toMatchObject({ side: 'sell', reduceOnly: true });
    expect(sim.positions('bitget', account.apiKey, 'BTCUSDT')).toHaveLength(0);
    expect(sim.positions('bitget', account.apiKey, 'ETHUSDT')).toHaveLength(1);
    await expect(adapter.closeFuturesPosition('BTC/USDT', 'long')).rejects.toSatisfy((error) => PositionNotFoundError.isInstance(error));

    await adapter.closeFuturesPosition('ETH/USDT', 'short');
    expect(sim.positions('bitget', account.apiKey)).toHaveLength(0);
    expect(ledger(account)[3]).toMatchObject({ symbol: 'ETHUSDT', side: 'buy', reduceOnly: true });
  });

  it('hedge mode: discovered at initialize, both legs open with per-leg leverage, closing one leaves the other', async () => {
    const { account, adapter } = open('hedge');
    await adapter.initialize();
    expect(adapter.positionMode).toBe('hedge');

    await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.02'), 7);
    await adapter.executeFuturesShort('BTC/USDT', new Decimal('0.01'), 3);
    // holdSide reached the venue: each leg carries its own leverage.
    expect(sim.engine.leverage(account, 'BTCUSDT', 'long')).toBe(7);
    expect(sim.engine.leverage(account, 'BTCUSDT', 'short')).toBe(3);
    expect(ledger(account).map((row) => [row.side, row.positionSide, row.reduceOnly])).toEqual([
      ['buy', 'long', false],
      ['sell', 'short', false],
    ]);

    const close = await adapter.closeFuturesPosition('BTC/USDT', 'long');
    expectMatchesLedger(close, ledger(account)[2]);
    expect(ledger(account)[2]).toMatchObject({ side: 'sell', positionSide: 'long', reduceOnly: true });
    expect(sim.positions('bitget', account.apiKey).map((position) => [position.side, position.size.toFixed()])).toEqual([['short', '0.01']]);
    await expect(adapter.closeFuturesPosition('BTC/USDT', 'long')).rejects.toSatisfy((error) => PositionNotFoundError.isInstance(error));
    await adapter.closeFuturesPosition('BTC/USDT', 'short');
    expect(sim.positions('bitget', account.apiKey)).toHaveLength(0);
  });

  it('futures balances equal the USDT-M wallet', async () => {
    const { account, adapter } = open();
    await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 20);
    const wallet = sim.balances('bitget', account.apiKey).futures.USDT;
    const usdt = await adapter.getBalance('USDT', { market: 'futures' });
    expect(usdt.free.toFixed()).toBe(wallet?.free.toFixed());
    expect(usdt.locked.toFixed()).toBe(wallet?.locked.toFixed());
    expect(usdt.market).toBe('futures');
  });

  it('refuses a missing passphrase at creation and a wrong one with AuthenticationError', async () => {
    const account = sim.accounts.create({ venue: 'bitget' });
    const before = sim.requests({ exchange: 'bitget' }).length;
    expect(() => createBitgetAdapter({ apiKey: account.apiKey, apiSecret: account.secret, baseUrl: `${sim.url}/bitget`, registry })).toThrow(ConfigurationError);
    expect(sim.requests({ exchange: 'bitget' })).toHaveLength(before);

    const { adapter } = open(undefined, { passphrase: 'not-the-passphrase' });
    await expect(adapter.getBalances()).rejects.toSatisfy((error) => AuthenticationError.isInstance(error) && error.code === '40012');
  });
});
