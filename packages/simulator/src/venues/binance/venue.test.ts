import { NotSupported, type Order } from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, createCcxtClient, useSimulator, type CcxtClient } from '../../test-support';
import { idOf } from '../../test-support/binance-venue';

/**
 * Binance through the pinned, unmodified ccxt: every call goes over HTTP to the simulator, signed by
 * ccxt and parsed by ccxt. What ccxt reports is checked against the simulator's own ledger, wallets
 * and positions, read through the handle.
 */
describe('binance through ccxt', () => {
  const sim = useSimulator();

  function client(account?: SimAccount, overrides: Record<string, unknown> = {}): CcxtClient {
    return createCcxtClient('binance', sim(), account, overrides);
  }

  function requestsOf(account: SimAccount): string[] {
    return sim()
      .requests({ exchange: 'binance', apiKey: account.apiKey })
      .map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
  }

  function expectComplete(order: Order): void {
    expect(order.id).toMatch(/^[0-9]+$/);
    expect(order.clientOrderId).toBeTruthy();
    expect(order.status).toBe('closed');
    expect(order.filled).toBe(order.amount);
    expect(order.remaining).toBe(0);
    expect(order.average).toBeGreaterThan(0);
  }

  /** Places a SOL market buy, then reads it back by order id and by client order id. */
  async function placeThenFetchBothWays(exchange: CcxtClient, symbol: string, amount: number, clientOrderId: string): Promise<Order> {
    const placed = await exchange.createOrder(symbol, 'market', 'buy', amount, undefined, { clientOrderId });
    const byId = await exchange.fetchOrder(idOf(placed), symbol);
    const byClientId = await exchange.fetchOrder('', symbol, { origClientOrderId: clientOrderId });
    for (const order of [byId, byClientId]) {
      expectComplete(order);
      expect(order).toMatchObject({ id: placed.id, clientOrderId, symbol, filled: amount, average: 150, cost: amount * 150 });
    }
    return placed;
  }

  describe('loadMarkets', () => {
    it('without credentials reads spot, USDⓈ-M and COIN-M exchangeInfo and parses precision and limits', async () => {
      const publicClient = client();
      const markets = await publicClient.loadMarkets();
      const spot = markets['BTC/USDT'];
      const swap = markets['BTC/USDT:USDT'];
      expect(spot).toMatchObject({
        id: 'BTCUSDT',
        type: 'spot',
        active: true,
        precision: { amount: 0.00001, price: 0.01 },
        limits: { amount: { min: 0.00001, max: 9000 }, cost: { min: 5 } },
      });
      expect(swap).toMatchObject({
        id: 'BTCUSDT',
        type: 'swap',
        linear: true,
        settle: 'USDT',
        contractSize: 1,
        precision: { amount: 0.001, price: 0.1 },
        limits: { amount: { min: 0.001, max: 1000 }, market: { max: 120 }, cost: { min: 100 } },
      });
      for (const base of ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE']) {
        expect(markets[`${base}/USDT`]?.spot).toBe(true);
        expect(markets[`${base}/USDT:USDT`]?.swap).toBe(true);
      }
      const paths = sim()
        .requests({ exchange: 'binance' })
        .filter((entry) => entry.apiKey === undefined)
        .map((entry) => `${entry.path} ${entry.status}`);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/binance/api/v3/exchangeInfo 200',
          '/binance/fapi/v1/exchangeInfo 200',
          '/binance/dapi/v1/exchangeInfo 200',
        ]),
      );
    });

    it('with credentials also answers the signed currency and margin-pair calls', async () => {
      const account = createAccount(sim(), 'binance');
      const signed = client(account);
      await signed.loadMarkets();
      expect(signed.currencies.BTC?.active).toBe(true);
      expect(signed.currencies.DOGE?.networks).toBeDefined();
      expect(requestsOf(account)).toEqual(
        expect.arrayContaining([
          'GET /binance/sapi/v1/capital/config/getall 200',
          'GET /binance/sapi/v1/margin/allPairs 200',
          'GET /binance/sapi/v1/margin/isolated/allPairs 200',
        ]),
      );
    });
  });

  it('fetchTime answers the simulator clock, spot and USDⓈ-M', async () => {
    const publicClient = client();
    const before = sim().clock.now();
    const spotTime = await publicClient.fetchTime();
    const futuresTime = await publicClient.fetchTime({ type: 'future' });
    const after = sim().clock.now();
    for (const time of [spotTime, futuresTime]) {
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(after);
    }
  });

  describe('fetchBalance', () => {
    it('reads the spot wallet', async () => {
      const account = createAccount(sim(), 'binance', { balances: { USDT: '1234.5', BTC: '0.25' } });
      const balance = await client(account).fetchBalance();
      expect(balance.USDT).toEqual({ free: 1234.5, used: 0, total: 1234.5 });
      expect(balance.BTC).toEqual({ free: 0.25, used: 0, total: 0.25 });
    });

    it('reads the USDⓈ-M wallet, with position margin as used', async () => {
      const account = createAccount(sim(), 'binance', { futuresBalances: { USDT: '5000' } });
      const exchange = client(account);
      expect((await exchange.fetchBalance({ type: 'future' })).USDT).toEqual({ free: 5000, used: 0, total: 5000 });
      await exchange.createOrder('ETH/USDT:USDT', 'market', 'buy', 1);
      // 3,500 notional at the default 20x locks 175; the 0.05% taker fee (1.75) leaves the wallet.
      const balance = await exchange.fetchBalance({ type: 'swap' });
      expect(balance.USDT).toEqual({ free: 4823.25, used: 175, total: 4998.25 });
      const sim_ = sim().balances('binance', account.apiKey).futures.USDT;
      expect(sim_?.locked.toFixed()).toBe('175');
      expect(sim_?.free.toFixed()).toBe('4823.25');
    });
  });

  describe('spot market orders', () => {
    it('buy: the fee is taken in the base received (fills[].commissionAsset), ledger and wallet agree', async () => {
      const account = createAccount(sim(), 'binance');
      const order = await client(account).createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'copy-1' });
      expectComplete(order);
      expect(order).toMatchObject({ clientOrderId: 'copy-1', side: 'buy', filled: 0.01, average: 65000, cost: 650 });
      expect(order.fee).toEqual({ cost: 0.00001, currency: 'BTC' });
      expect((order.info as { fills: unknown }).fills).toEqual([
        { price: '65000.00000000', qty: '0.01000000', commission: '0.00001000', commissionAsset: 'BTC', tradeId: Number(order.id) + 1 },
      ]);
      expect(sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey })).toMatchObject([
        { orderId: order.id, clientOrderId: 'copy-1', symbol: 'BTCUSDT', market: 'spot', side: 'buy', reduceOnly: false, status: 'filled', feeAsset: 'BTC' },
      ]);
      const wallet = sim().balances('binance', account.apiKey).spot;
      // 650 USDT spent; 0.01 BTC bought less the 0.1% fee of 0.00001 BTC.
      expect(wallet.USDT?.free.toFixed()).toBe('9350');
      expect(wallet.BTC?.free.toFixed()).toBe('1.00999');
    });

    it('sell: proceeds less the fee land in the quote wallet', async () => {
      const account = createAccount(sim(), 'binance');
      const order = await client(account).createOrder('BTC/USDT', 'market', 'sell', 0.5);
      expectComplete(order);
      expect(order).toMatchObject({ side: 'sell', filled: 0.5, cost: 32500, fee: { cost: 32.5, currency: 'USDT' } });
      const wallet = sim().balances('binance', account.apiKey).spot;
      expect(wallet.USDT?.free.toFixed()).toBe('42467.5');
      expect(wallet.BTC?.free.toFixed()).toBe('0.5');
    });

    it('buy by quote amount (quoteOrderQty) fills the whole lots it buys', async () => {
      const account = createAccount(sim(), 'binance');
      const order = await client(account).createMarketBuyOrderWithCost('ETH/USDT', 100);
      expectComplete(order);
      // 100 / 3500 = 0.02857…, cut to the 0.0001 step.
      expect(order.filled).toBe(0.0285);
      expect(sim().ledger.orders({ apiKey: account.apiKey })[0]?.quantity.toFixed()).toBe('0.0285');
    });

    it('fetchOrder finds it by order id and by origClientOrderId', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      await placeThenFetchBothWays(exchange, 'SOL/USDT', 2, 'sol-buy-1');
      expect(requestsOf(account).filter((line) => line.startsWith('GET /binance/api/v3/order '))).toHaveLength(2);
    });

    it('fetchMyTrades carries the commission of each fill in the asset received', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      const bought = await exchange.createOrder('XRP/USDT', 'market', 'buy', 100);
      const sold = await exchange.createOrder('XRP/USDT', 'market', 'sell', 50);
      const trades = await exchange.fetchMyTrades('XRP/USDT');
      expect(trades).toHaveLength(2);
      expect(trades[0]).toMatchObject({ order: bought.id, amount: 100, price: 0.6, fee: { cost: 0.1, currency: 'XRP' } });
      expect(trades[1]).toMatchObject({ order: sold.id, amount: 50, price: 0.6, fee: { cost: 0.03, currency: 'USDT' } });
      expect(sim().balances('binance', account.apiKey).spot.XRP?.free.toFixed()).toBe('49.9');
    });
  });

  describe('USDⓈ-M perpetuals, one-way mode', () => {
    it('opens, reports and closes reduce-only, with realised PnL in the wallet', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      const open = await exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'long-1' });
      expectComplete(open);
      expect(open).toMatchObject({ clientOrderId: 'long-1', side: 'buy', reduceOnly: false, filled: 0.01, average: 65000, cost: 650 });

      const [position] = await exchange.fetchPositions(['BTC/USDT:USDT']);
      expect(position).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.01, entryPrice: 65000, hedged: false });
      expect(sim().positions('binance', account.apiKey)).toMatchObject([{ symbol: 'BTCUSDT', side: 'both' }]);

      sim().prices.set('BTCUSDT', '66000', 'binance');
      try {
        const close = await exchange.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { reduceOnly: true });
        expectComplete(close);
        expect(close).toMatchObject({ side: 'sell', reduceOnly: true, average: 66000 });
      } finally {
        sim().prices.set('BTCUSDT', '65000', 'binance');
      }
      expect(await exchange.fetchPositions()).toEqual([]);
      expect(sim().positions('binance', account.apiKey)).toEqual([]);
      const ledger = sim().ledger.orders({ apiKey: account.apiKey });
      expect(ledger.map((order) => [order.side, order.positionSide, order.reduceOnly, order.realisedPnl.toFixed()])).toEqual([
        ['buy', 'both', false, '0'],
        ['sell', 'both', true, '10'],
      ]);
      // 10,000 − 0.325 (open fee) + 10 (PnL) − 0.33 (close fee).
      expect(sim().balances('binance', account.apiKey).futures.USDT?.free.toFixed()).toBe('10009.345');
    });

    it('opens a short with a sell and reports it as short', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      await exchange.createOrder('DOGE/USDT:USDT', 'market', 'sell', 1000);
      const [position] = await exchange.fetchPositions(['DOGE/USDT:USDT']);
      expect(position).toMatchObject({ side: 'short', contracts: 1000, entryPrice: 0.15, notional: 150 });
    });

    it('fetchPosition is options-only in ccxt binance; fetchPositions([symbol]) answers for one symbol', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      await exchange.createOrder('XRP/USDT:USDT', 'market', 'buy', 100);
      const before = sim().requests({ apiKey: account.apiKey }).length;
      await expect(exchange.fetchPosition('XRP/USDT:USDT')).rejects.toBeInstanceOf(NotSupported);
      expect(sim().requests({ apiKey: account.apiKey })).toHaveLength(before);
      const positions = await exchange.fetchPositions(['XRP/USDT:USDT']);
      expect(positions.map((position) => [position.symbol, position.side, position.contracts])).toEqual([['XRP/USDT:USDT', 'long', 100]]);
    });

    it('fetchPositions with useV2 reports each symbol with its leverage', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      await exchange.setLeverage(10, 'ETH/USDT:USDT');
      await exchange.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.5);
      const positions = await exchange.fetchPositions(['ETH/USDT:USDT'], { useV2: true });
      expect(positions).toHaveLength(1);
      expect(positions[0]).toMatchObject({ side: 'long', contracts: 0.5, entryPrice: 3500, leverage: 10, marginMode: 'cross' });
      // 1,750 notional at 10x.
      expect(sim().positions('binance', account.apiKey)[0]?.margin.toFixed()).toBe('175');
    });

    it('fetchOrder finds a futures order by id and client id; userTrades carry its fee', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      const placed = await placeThenFetchBothWays(exchange, 'SOL/USDT:USDT', 3, 'sol-perp-1');
      // USDⓈ-M orders carry no commission on Binance; the trade does.
      expect(placed.fee).toBeUndefined();
      // ccxt's fetchOrderTrades is spot-only for Binance; fetchMyTrades narrows by orderId instead.
      const trades = await exchange.fetchMyTrades('SOL/USDT:USDT', undefined, undefined, { orderId: idOf(placed) });
      expect(trades).toHaveLength(1);
      expect(trades[0]).toMatchObject({ order: placed.id, amount: 3, price: 150, fee: { cost: 0.225, currency: 'USDT' } });
    });
  });

  describe('USDⓈ-M perpetuals, hedge mode', () => {
    it('switches mode, opens both legs with positionSide and closes each', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      await exchange.loadMarkets();
      expect((await exchange.fetchPositionMode('BTC/USDT:USDT')).hedged).toBe(false);
      await exchange.setPositionMode(true, 'BTC/USDT:USDT');
      expect((await exchange.fetchPositionMode('BTC/USDT:USDT')).hedged).toBe(true);
      expect(sim().accounts.get('binance', account.apiKey)?.positionMode).toBe('hedge');

      await exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { positionSide: 'LONG' });
      await exchange.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.02, undefined, { positionSide: 'SHORT' });
      const positions = await exchange.fetchPositions(['BTC/USDT:USDT']);
      expect(positions.map((position) => [position.side, position.contracts, position.hedged]).sort()).toEqual([
        ['long', 0.01, true],
        ['short', 0.02, true],
      ]);
      expect(sim().positions('binance', account.apiKey).map((position) => [position.side, position.size.toFixed()]).sort()).toEqual([
        ['long', '0.01'],
        ['short', '0.02'],
      ]);

      // ccxt's own hedge parameters: `hedged` + `reduceOnly` becomes positionSide LONG on a sell.
      const closeLong = await exchange.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { hedged: true, reduceOnly: true });
      expectComplete(closeLong);
      expect(closeLong.info).toMatchObject({ positionSide: 'LONG', side: 'SELL' });
      const closeShort = await exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.02, undefined, { positionSide: 'SHORT' });
      expectComplete(closeShort);
      expect(await exchange.fetchPositions()).toEqual([]);
      expect(sim().ledger.orders({ apiKey: account.apiKey }).map((order) => [order.side, order.positionSide])).toEqual([
        ['buy', 'long'],
        ['sell', 'short'],
        ['sell', 'long'],
        ['buy', 'short'],
      ]);

      await exchange.setPositionMode(false, 'BTC/USDT:USDT');
      expect(sim().accounts.get('binance', account.apiKey)?.positionMode).toBe('oneway');
    });
  });

  describe('setLeverage', () => {
    it('the leverage brackets carry each symbol\'s maximum, which ccxt reads as leverage tiers', async () => {
      const exchange = client(createAccount(sim(), 'binance'));
      const tiers = await exchange.fetchLeverageTiers(['BTC/USDT:USDT', 'SOL/USDT:USDT']);
      expect(tiers['BTC/USDT:USDT']?.[0]).toMatchObject({ tier: 1, minNotional: 0, maxLeverage: 125, maintenanceMarginRate: 0.004 });
      expect(tiers['SOL/USDT:USDT']?.[0]?.maxLeverage).toBe(100);
    });

    it('sets the symbol leverage, and setting it again is not an error', async () => {
      const account = createAccount(sim(), 'binance');
      const exchange = client(account);
      expect(await exchange.setLeverage(50, 'BTC/USDT:USDT')).toMatchObject({ symbol: 'BTCUSDT', leverage: 50 });
      expect(await exchange.setLeverage(50, 'BTC/USDT:USDT')).toMatchObject({ leverage: 50 });
      const simAccount = sim().accounts.get('binance', account.apiKey);
      if (!simAccount) throw new Error('account vanished');
      expect(sim().engine.leverage(simAccount, 'BTCUSDT', 'both')).toBe(50);
      const leverage = await exchange.fetchLeverage('BTC/USDT:USDT');
      expect(leverage).toMatchObject({ marginMode: 'cross', longLeverage: 50, shortLeverage: 50 });
      await exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.1);
      // 6,500 notional at 50x.
      expect(sim().positions('binance', account.apiKey)[0]?.margin.toFixed()).toBe('130');
    });
  });
});
