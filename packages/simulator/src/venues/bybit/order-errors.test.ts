import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { createAccount, useSimulator } from '../../test-support';
import { BTC_PERP, BTC_SPOT, bybitClient, expectCcxtError, idOf } from '../../test-support/bybit-venue';

/**
 * ccxt rounds amounts to the market's precision before sending, so off-step and below-minimum
 * quantities reach the venue only through the raw endpoint (still signed and error-mapped by ccxt).
 */
function rawOrder(category: 'spot' | 'linear', symbol: string, side: string, qty: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { category, symbol, side, orderType: 'Market', qty, ...extra };
}

describe('Bybit order refusals through ccxt', () => {
  const sim = useSimulator();

  it('raises InsufficientFunds for spot balance (170131) and perpetual margin (110007)', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await expectCcxtError(client.createOrder(BTC_SPOT, 'market', 'buy', 1), ccxt.InsufficientFunds, 170131);
    await expectCcxtError(client.createOrder(BTC_SPOT, 'market', 'sell', 2), ccxt.InsufficientFunds, 170131);
    // 4 BTC at 60,000 and 10x needs 24,000 of margin; the wallet holds 20,000.
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 4), ccxt.InsufficientFunds, 110007);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
    expect(sim().balances('bybit', account.apiKey).spot.USDT?.free.toFixed()).toBe('20000');
  });

  it.each([
    ['a spot quantity off the step', rawOrder('spot', 'BTCUSDT', 'Sell', '0.5000015', { marketUnit: 'baseCoin' }), 170137, 'Order volume decimal too long'],
    ['a spot quantity below the minimum', rawOrder('spot', 'BTCUSDT', 'Sell', '0.000047', { marketUnit: 'baseCoin' }), 170136, 'Order quantity lower than the minimum.'],
    ['a spot quantity above the maximum', rawOrder('spot', 'BTCUSDT', 'Sell', '71.739563', { marketUnit: 'baseCoin' }), 170135, 'Order quantity too large.'],
    ['a spot quote amount below the minimum order value', rawOrder('spot', 'BTCUSDT', 'Buy', '0.5'), 170140, 'Transaction amount lower than the minimum.'],
  ])('raises InvalidOrder for %s (%i)', async (_label, request, retCode, retMsg) => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const error = await expectCcxtError(client.privatePostV5OrderCreate(request), ccxt.InvalidOrder, retCode);
    expect(error.message).toContain(`"retMsg":"${retMsg}"`);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });

  it.each([
    ['off the step', '0.0015', 'Qty invalid'],
    ['below the minimum', '0.0005', 'The number of contracts exceeds minimum limit allowed'],
    // BTCUSDT's maxMktOrderQty is 119; Bybit states both figures in units of 10^-8 BTC.
    ['above the market-order maximum', '120', 'The number of contracts exceeds maximum limit allowed: too large, order_qty:12000000000 > max_qty:11900000000'],
  ])('answers a perpetual quantity %s with 10001 (ccxt: BadRequest)', async (_label, qty, retMsg) => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const error = await expectCcxtError(client.privatePostV5OrderCreate(rawOrder('linear', 'BTCUSDT', 'Buy', qty)), ccxt.BadRequest, 10001);
    expect(error.message).toContain(`"retMsg":"${retMsg}"`);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });

  it('raises InvalidOrder below the 5 USDT minimum notional of a perpetual (110094)', async () => {
    sim().prices.set('DOGEUSDT', '0.15', 'bybit');
    const account = createAccount(sim(), 'bybit');
    await expectCcxtError(bybitClient(sim(), account).createOrder('DOGE/USDT:USDT', 'market', 'buy', 10), ccxt.InvalidOrder, 110094);
  });

  it('raises BadSymbol for a symbol Bybit does not list', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await expectCcxtError(client.privatePostV5OrderCreate(rawOrder('linear', 'NOPEUSDT', 'Buy', '1')), ccxt.BadSymbol, 10001);
    await expectCcxtError(client.privatePostV5PositionSetLeverage({ category: 'linear', symbol: 'NOPEUSDT', buyLeverage: '5', sellLeverage: '5' }), ccxt.BadSymbol, 10001);
  });

  it('answers reduce-only without a position, or in the increasing direction, with 110017', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true }), ccxt.InvalidOrder, 110017);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { reduceOnly: true }), ccxt.InvalidOrder, 110017);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(1);
  });

  it('answers a reused orderLinkId with 110072 on perpetuals and 170141 on spot, executing it once', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'copy-1' });
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'copy-1' }), ccxt.InvalidOrder, 110072);
    await client.createOrder(BTC_SPOT, 'market', 'buy', 0.001, undefined, { clientOrderId: 'copy-2' });
    await expectCcxtError(client.createOrder(BTC_SPOT, 'market', 'buy', 0.001, undefined, { clientOrderId: 'copy-2' }), ccxt.InvalidOrder, 170141);
    expect(sim().ledger.orders({ apiKey: account.apiKey }).map((order) => order.clientOrderId)).toEqual(['copy-1', 'copy-2']);
  });

  it('refuses limit orders, which the simulator does not fill, with a parameter error', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const error = await expectCcxtError(client.createOrder(BTC_PERP, 'limit', 'buy', 0.01, 50000), ccxt.BadRequest, 10001);
    expect(error.message).toContain('Market orders only');
  });

  it('answers cancel of a filled order with 110008 and of an unknown one with 110001 (OrderNotFound)', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const order = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    await expectCcxtError(client.cancelOrder(idOf(order), BTC_PERP), ccxt.InvalidOrder, 110008);
    await expectCcxtError(client.cancelOrder('999', BTC_PERP), ccxt.OrderNotFound, 110001);
  });

  it('answers malformed parameters with 10001 and never executes them', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const garbage: Record<string, unknown>[] = [
      rawOrder('linear', 'BTCUSDT', 'Buy', '-1'),
      rawOrder('linear', 'BTCUSDT', 'Buy', '1e-3'),
      rawOrder('linear', 'BTCUSDT', 'Up', '0.01'),
      rawOrder('linear', 'BTCUSDT', 'Buy', '0.01', { positionIdx: 7 }),
      rawOrder('linear', 'BTCUSDT', 'Buy', '0.01', { reduceOnly: 'maybe' }),
      rawOrder('linear', 'BTCUSDT', 'Buy', '0.01', { orderLinkId: 'x'.repeat(37) }),
      { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market' },
      { category: 'futures', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.01' },
      { category: 'linear', symbol: { nested: true }, side: 'Buy', orderType: 'Market', qty: '0.01' },
    ];
    for (const request of garbage) await expectCcxtError(client.privatePostV5OrderCreate(request), ccxt.BadRequest, 10001);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });
});
