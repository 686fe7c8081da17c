import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../start-simulator';
import { createAccount, useSimulator } from '../../test-support';
import { ACK, BTC_PERP, BTC_SPOT, bybitClient, idOf, type BybitClient } from '../../test-support/bybit-venue';

type PositionEntry = Record<string, unknown>;

/** `/v5/position/list` by symbol: every leg of the account's mode, open or not. */
async function positionList(client: BybitClient, symbol: string): Promise<PositionEntry[]> {
  const answer = (await client.privateGetV5PositionList({ category: 'linear', symbol })) as { result: { list: PositionEntry[] } };
  return answer.result.list;
}

function unified(sim: Simulator, apiKey: string, asset: string): string {
  return sim.balances('bybit', apiKey).spot[asset]?.free.toFixed() ?? '0';
}

/** What Bybit's v5 answers say about fees, order prices and realised PnL, read through ccxt. */
describe('Bybit fees, order prices and realised PnL through ccxt', () => {
  const sim = useSimulator();

  it('takes a spot fee in the coin received and reports it in cumFeeDetail', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit', { balances: { USDT: '1000' }, futuresBalances: {} });
    const client = bybitClient(sim(), account);
    const bought = await client.fetchOrder(idOf(await client.createOrder(BTC_SPOT, 'market', 'buy', 0.01)), BTC_SPOT, ACK);
    expect(bought.fee).toEqual({ cost: 0.00001, currency: 'BTC' });
    expect(bought.info).toMatchObject({ cumFeeDetail: { BTC: '0.00001' }, cumExecFee: '0.00001' });
    expect([unified(sim(), account.apiKey, 'USDT'), unified(sim(), account.apiKey, 'BTC')]).toEqual(['400', '0.00999']);

    const sold = await client.fetchOrder(idOf(await client.createOrder(BTC_SPOT, 'market', 'sell', 0.00999)), BTC_SPOT, ACK);
    expect(sold.fee).toEqual({ cost: 0.5994, currency: 'USDT' });
    expect(sold.info).toMatchObject({ cumFeeDetail: { USDT: '0.5994' } });
    // 400 + 599.4 − 0.5994
    expect([unified(sim(), account.apiKey, 'USDT'), unified(sim(), account.apiKey, 'BTC')]).toEqual(['998.8006', '0']);
    expect(sim().ledger.orders({ apiKey: account.apiKey }).map((order) => order.feeAsset)).toEqual(['BTC', 'USDT']);
  });

  it('keeps perpetual fees in USDT and shows a market order at its price-band edge, the fill at avgPrice', async () => {
    sim().prices.set('BTCUSDT', '60000.05', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const buy = await client.fetchOrder(idOf(await client.createOrder(BTC_PERP, 'market', 'buy', 0.01)), BTC_PERP, ACK);
    // mark × (1 + priceLimitRatioX 0.01) = 60600.0505, down to the 0.1 tick.
    expect(buy.info).toMatchObject({ price: '60600', avgPrice: '60000.05', orderType: 'Market', timeInForce: 'IOC' });
    expect(buy).toMatchObject({ price: 60600, average: 60000.05, fee: { currency: 'USDT' } });
    const sell = await client.fetchOrder(idOf(await client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true })), BTC_PERP, ACK);
    // mark × (1 − 0.01) = 59400.0495, up to the tick.
    expect(sell.info).toMatchObject({ price: '59400.1', avgPrice: '60000.05' });
    expect(sim().ledger.orders({ apiKey: account.apiKey }).map((order) => [order.price.toFixed(), order.feeAsset])).toEqual([
      ['60000.05', 'USDT'],
      ['60000.05', 'USDT'],
    ]);
  });

  it('reports curRealisedPnl for the open position and cumRealisedPnl for the leg, both net of fees', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.1);
    // Opening 6,000 of notional at the 0.055% taker rate: 3.3 of fees, realised at once.
    let [entry] = await positionList(client, 'BTCUSDT');
    expect(entry).toMatchObject({ size: '0.1', curRealisedPnl: '-3.3', cumRealisedPnl: '-3.3' });
    expect((await client.fetchPosition(BTC_PERP)).realizedPnl).toBe(-3.3);

    sim().prices.set('BTCUSDT', '61000', 'bybit');
    await client.createOrder(BTC_PERP, 'market', 'sell', 0.05, undefined, { reduceOnly: true });
    // +50 on the half closed, 1.6775 of fees on it.
    [entry] = await positionList(client, 'BTCUSDT');
    expect(entry).toMatchObject({ size: '0.05', curRealisedPnl: '45.0225', cumRealisedPnl: '45.0225' });

    await client.createOrder(BTC_PERP, 'market', 'sell', 0.05, undefined, { reduceOnly: true });
    const [empty, ...more] = await positionList(client, 'BTCUSDT');
    expect(more).toEqual([]);
    // The leg is gone; its all-time figure stays: 100 − 3.3 − 1.6775 − 1.6775.
    expect(empty).toMatchObject({ positionIdx: 0, side: '', size: '0', curRealisedPnl: '0', cumRealisedPnl: '93.345' });
    expect(unified(sim(), account.apiKey, 'USDT')).toBe('20093.345');
    sim().prices.set('BTCUSDT', '60000', 'bybit');
  });

  it('lists both hedge legs of a symbol, open or not, each with its own realised figures', async () => {
    sim().prices.set('ETHUSDT', '3000', 'bybit');
    const account = createAccount(sim(), 'bybit', { positionMode: 'hedge' });
    const client = bybitClient(sim(), account);
    await client.createOrder('ETH/USDT:USDT', 'market', 'buy', 1, undefined, { positionIdx: 1 });
    const legs = await positionList(client, 'ETHUSDT');
    expect(legs.map((leg) => [leg.positionIdx, leg.side, leg.size, leg.curRealisedPnl, leg.cumRealisedPnl])).toEqual([
      [1, 'Buy', '1', '-1.65', '-1.65'],
      [2, '', '0', '0', '0'],
    ]);
    sim().prices.set('ETHUSDT', '3500', 'bybit');
  });
});
