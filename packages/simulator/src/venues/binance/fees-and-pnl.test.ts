import { describe, expect, it } from 'vitest';
import { createAccount, createCcxtClient, useSimulator, type CcxtClient } from '../../test-support';
import { idOf } from '../../test-support/binance-venue';

/** What Binance's spot and USDⓈ-M answers say about fees and realised PnL, read through ccxt. */
describe('binance fees and realised PnL through ccxt', () => {
  const sim = useSimulator();

  function client(account: Parameters<typeof createCcxtClient>[2]): CcxtClient {
    return createCcxtClient('binance', sim(), account);
  }

  it('takes a spot buy fee from the base received and a sell fee from the quote received', async () => {
    const account = createAccount(sim(), 'binance', { balances: { USDT: '1000' } });
    const exchange = client(account);
    const bought = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.01);
    expect(bought.fee).toEqual({ cost: 0.00001, currency: 'BTC' });
    let spot = sim().balances('binance', account.apiKey).spot;
    expect([spot.USDT?.free.toFixed(), spot.BTC?.free.toFixed()]).toEqual(['350', '0.00999']);

    // What arrived, cut to the 0.00001 step, is what the account can sell.
    const sold = await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.00999);
    expect(sold.fee).toEqual({ cost: 0.649350, currency: 'USDT' });
    spot = sim().balances('binance', account.apiKey).spot;
    // 350 + 649.35 − 0.64935
    expect([spot.USDT?.free.toFixed(), spot.BTC?.free.toFixed()]).toEqual(['998.70065', '0']);

    const ledger = sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey });
    expect(ledger.map((order) => [order.side, order.fee.toFixed(), order.feeAsset])).toEqual([
      ['buy', '0.00001', 'BTC'],
      ['sell', '0.64935', 'USDT'],
    ]);
    const trades = await exchange.fetchMyTrades('BTC/USDT');
    expect(trades.map((trade) => [trade.order, (trade.info as { commission: string; commissionAsset: string }).commissionAsset])).toEqual([
      [bought.id, 'BTC'],
      [sold.id, 'USDT'],
    ]);
  });

  it('keeps USDⓈ-M fees in the margin asset and reports realizedPnl per trade without the commission', async () => {
    const account = createAccount(sim(), 'binance');
    const exchange = client(account);
    const opened = await exchange.createOrder('ETH/USDT:USDT', 'market', 'buy', 1);
    sim().prices.set('ETHUSDT', '3600', 'binance');
    try {
      const closed = await exchange.createOrder('ETH/USDT:USDT', 'market', 'sell', 1, undefined, { reduceOnly: true });
      const trades = await exchange.fetchMyTrades('ETH/USDT:USDT');
      expect(trades.map((trade) => trade.order)).toEqual([opened.id, closed.id]);
      const info = trades.map((trade) => trade.info as Record<string, unknown>);
      // +100 on 1 ETH from 3500 to 3600; the 0.05% commissions (1.75 and 1.8) are reported apart.
      expect(info.map((trade) => [trade.realizedPnl, trade.commission, trade.commissionAsset])).toEqual([
        ['0.00000000', '1.75000000', 'USDT'],
        ['100.00000000', '1.80000000', 'USDT'],
      ]);
      expect(trades[1]?.fee).toEqual({ cost: 1.8, currency: 'USDT' });
      const ledger = sim().ledger.orders({ apiKey: account.apiKey });
      expect(ledger.map((order) => [order.realisedPnl.toFixed(), order.fee.toFixed(), order.feeAsset])).toEqual([
        ['0', '1.75', 'USDT'],
        ['100', '1.8', 'USDT'],
      ]);
      expect(sim().balances('binance', account.apiKey).futures.USDT?.free.toFixed()).toBe('10096.45');
      const lookedUp = await exchange.fetchMyTrades('ETH/USDT:USDT', undefined, undefined, { orderId: idOf(closed) });
      expect(lookedUp).toHaveLength(1);
    } finally {
      sim().prices.set('ETHUSDT', '3500', 'binance');
    }
  });

  it('lists only open positions in positionRisk v3, and every leg of every symbol (zero or not) in v2', async () => {
    const account = createAccount(sim(), 'binance');
    const exchange = createCcxtClient('binance', sim(), account) as CcxtClient & {
      fapiPrivateV3GetPositionRisk(params: Record<string, string>): Promise<Record<string, string>[]>;
      fapiPrivateV2GetPositionRisk(params: Record<string, string>): Promise<Record<string, string>[]>;
    };
    expect(await exchange.fapiPrivateV3GetPositionRisk({ symbol: 'BTCUSDT' })).toEqual([]);
    const [flat, ...more] = await exchange.fapiPrivateV2GetPositionRisk({ symbol: 'BTCUSDT' });
    expect(more).toEqual([]);
    expect(flat).toMatchObject({ symbol: 'BTCUSDT', positionAmt: '0', entryPrice: '0.0', positionSide: 'BOTH', unRealizedProfit: '0.00000000' });
    expect(await exchange.fetchPositions(['BTC/USDT:USDT'])).toEqual([]);
  });
});
