import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../start-simulator';
import { createAccount, useSimulator } from '../../test-support';
import { ACK, BTC_PERP, BTC_SPOT, bybitClient, expectCcxtError, idOf } from '../../test-support/bybit-venue';

function wallet(sim: Simulator, apiKey: string, asset: string): { free: string; locked: string } {
  const balance = sim.balances('bybit', apiKey).spot[asset];
  return { free: balance?.free.toFixed() ?? '0', locked: balance?.locked.toFixed() ?? '0' };
}

describe('Bybit spot market orders through ccxt (unified account)', () => {
  const sim = useSimulator();

  it('buys by base quantity, pays the cost in USDT and the fee in BTC, and fetchOrder reports it complete', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const created = await client.createOrder(BTC_SPOT, 'market', 'buy', 0.01, undefined, { clientOrderId: 'spot-buy-1' });
    expect(created.clientOrderId).toBe('spot-buy-1');

    const [order, ...others] = sim().ledger.orders({ venue: 'bybit', apiKey: account.apiKey });
    expect(others).toHaveLength(0);
    expect(order).toMatchObject({ orderId: created.id, clientOrderId: 'spot-buy-1', market: 'spot', side: 'buy', symbol: 'BTCUSDT', status: 'filled' });
    expect(order?.quantity.toFixed()).toBe('0.01');
    // 20,000 USDT in the unified wallet, minus the 600 cost; the 0.1% fee comes out of the 0.01 BTC bought.
    expect(wallet(sim(), account.apiKey, 'USDT').free).toBe('19400');
    expect(wallet(sim(), account.apiKey, 'BTC').free).toBe('1.00999');

    const fetched = await client.fetchOrder(idOf(created), BTC_SPOT, ACK);
    expect(fetched).toMatchObject({
      id: created.id,
      clientOrderId: 'spot-buy-1',
      symbol: BTC_SPOT,
      type: 'market',
      side: 'buy',
      status: 'closed',
      amount: 0.01,
      filled: 0.01,
      remaining: 0,
      average: 60000,
      cost: 600,
      fee: { cost: 0.00001, currency: 'BTC' },
    });
  });

  it('buys by quote amount (ccxt sends the cost as qty), filling the base quantity it buys down to the lot step', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const created = await client.createMarketBuyOrderWithCost(BTC_SPOT, 100);
    const [order] = sim().ledger.orders({ venue: 'bybit', apiKey: account.apiKey });
    expect(order?.quantity.toFixed()).toBe('0.001666');
    expect(order?.cost.toFixed()).toBe('99.96');
    const fetched = await client.fetchOrder(idOf(created), BTC_SPOT, ACK);
    expect(fetched).toMatchObject({ status: 'closed', filled: 0.001666, amount: 0.001666, cost: 99.96, average: 60000 });
    expect(fetched.info).toMatchObject({ marketUnit: 'quoteCoin', qty: '100' });
  });

  it('sells by base quantity and credits the proceeds less the fee', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const created = await client.createOrder(BTC_SPOT, 'market', 'sell', 0.5);
    expect(wallet(sim(), account.apiKey, 'BTC').free).toBe('0.5');
    expect(wallet(sim(), account.apiKey, 'USDT').free).toBe('49970');
    const fetched = await client.fetchOrder(idOf(created), BTC_SPOT, ACK);
    expect(fetched).toMatchObject({ side: 'sell', status: 'closed', filled: 0.5, average: 60000, fee: { cost: 30, currency: 'USDT' } });
    expect(fetched.clientOrderId).toBe(sim().ledger.orders({ apiKey: account.apiKey })[0]?.clientOrderId);
  });

  it('fetches the unified wallet as the spot and as the futures balance', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const spot = await client.fetchBalance();
    const swap = await client.fetchBalance({ type: 'swap' });
    expect(spot.USDT).toMatchObject({ free: 20000, used: 0, total: 20000 });
    expect(spot.BTC).toMatchObject({ free: 1, total: 1 });
    expect(swap.USDT).toEqual(spot.USDT);
  });
});

describe('Bybit USDT perpetuals in one-way mode through ccxt', () => {
  const sim = useSimulator();

  it('opens a long, shows the position and margin, then closes it reduce-only and realises the PnL', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const opened = await client.createOrder(BTC_PERP, 'market', 'buy', 0.1, undefined, { clientOrderId: 'perp-open-1' });

    // 10x by default: 600 margin; 0.055% taker fee on 6,000 notional.
    expect(wallet(sim(), account.apiKey, 'USDT')).toEqual({ free: '19396.7', locked: '600' });
    const [held] = sim().positions('bybit', account.apiKey, 'BTCUSDT');
    expect(held).toMatchObject({ side: 'both', leverage: 10 });
    expect(held?.signedSize.toFixed()).toBe('0.1');

    const [position, ...more] = await client.fetchPositions([BTC_PERP]);
    expect(more).toHaveLength(0);
    expect(position).toMatchObject({ symbol: BTC_PERP, side: 'long', contracts: 0.1, entryPrice: 60000, leverage: 10, initialMargin: 600, notional: 6000, hedged: false });

    sim().prices.set('BTCUSDT', '61000', 'bybit');
    expect((await client.fetchPosition(BTC_PERP)).unrealizedPnl).toBe(100);
    const balance = await client.fetchBalance();
    expect(balance.USDT).toMatchObject({ total: 19996.7, used: 600, free: 19396.7 });

    const closed = await client.createOrder(BTC_PERP, 'market', 'sell', 0.1, undefined, { reduceOnly: true });
    const ledger = sim().ledger.orders({ apiKey: account.apiKey });
    expect(ledger.map((order) => [order.side, order.reduceOnly, order.positionSide, order.realisedPnl.toFixed()])).toEqual([
      ['buy', false, 'both', '0'],
      ['sell', true, 'both', '100'],
    ]);
    expect(sim().positions('bybit', account.apiKey)).toHaveLength(0);
    // 20,000 − 3.3 fee + 100 PnL − 3.355 fee.
    expect(wallet(sim(), account.apiKey, 'USDT')).toEqual({ free: '20093.345', locked: '0' });
    expect(await client.fetchPositions()).toEqual([]);
    expect((await client.fetchPosition(BTC_PERP)).contracts).toBe(0);

    const fetched = await client.fetchOrder(idOf(closed), BTC_PERP, ACK);
    expect(fetched).toMatchObject({ status: 'closed', side: 'sell', reduceOnly: true, filled: 0.1, average: 61000, fee: { cost: 3.355, currency: 'USDT' } });
    expect(opened.id).toBe(ledger[0]?.orderId);
  });

  it('finds an order by orderLinkId, by id in the order history, and raises OrderNotFound for one it never saw', async () => {
    sim().prices.set('ETHUSDT', '3000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const created = await client.createOrder('ETH/USDT:USDT', 'market', 'sell', 1.5, undefined, { clientOrderId: 'eth-short-7' });
    const byLinkId = await client.fetchOrder('', 'ETH/USDT:USDT', { ...ACK, orderLinkId: 'eth-short-7' });
    expect(byLinkId).toMatchObject({ id: created.id, clientOrderId: 'eth-short-7', status: 'closed', filled: 1.5, average: 3000 });
    const closed = await client.fetchClosedOrder(idOf(created), 'ETH/USDT:USDT');
    expect(closed).toMatchObject({ id: created.id, status: 'closed' });
    await expectCcxtError(client.fetchOrder('1234567', 'ETH/USDT:USDT', ACK), ccxt.OrderNotFound);
    // The same order asked for as spot does not exist there.
    await expectCcxtError(client.fetchOrder(idOf(created), 'ETH/USDT', ACK), ccxt.OrderNotFound);
  });

  it('sets the leverage that the next order takes its margin at', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.setLeverage(20, BTC_PERP);
    expect(sim().engine.leverage(account, 'BTCUSDT', 'both')).toBe(20);
    await client.createOrder(BTC_PERP, 'market', 'sell', 0.1);
    expect(wallet(sim(), account.apiKey, 'USDT').locked).toBe('300');
    expect(await client.fetchPosition(BTC_PERP)).toMatchObject({ side: 'short', contracts: 0.1, leverage: 20, initialMargin: 300 });
  });

  it('flips a long into a short with one opposite order', async () => {
    sim().prices.set('SOLUSDT', '150', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.createOrder('SOL/USDT:USDT', 'market', 'buy', 2);
    await client.createOrder('SOL/USDT:USDT', 'market', 'sell', 5);
    const [held] = sim().positions('bybit', account.apiKey, 'SOLUSDT');
    expect(held?.signedSize.toFixed()).toBe('-3');
    expect(await client.fetchPosition('SOL/USDT:USDT')).toMatchObject({ side: 'short', contracts: 3 });
  });
});
