import { describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, useSimulator } from '../../test-support';
import { bitgetClient, type BitgetClient } from '../../test-support/bitget-venue';
import { bitgetTradeId } from './streams';

const BTC_PERP = 'BTC/USDT:USDT';
const BTC_SPOT = 'BTC/USDT';

interface Page {
  readonly data: { readonly fillList: readonly { readonly tradeId: string }[]; readonly endId: string };
}

/** The fills endpoints ccxt's `fetchMyTrades` reads (spot `trade/fills`, USDT-M `order/fills`), the REST side of the `fill` channel. */
describe('bitget fills through ccxt', () => {
  const sim = useSimulator();

  async function ready(): Promise<{ account: SimAccount; client: BitgetClient }> {
    sim().prices.set('BTCUSDT', '65000', 'bitget');
    const account = createAccount(sim(), 'bitget');
    return { account, client: await bitgetClient(sim(), account) };
  }

  const ledgerOf = (account: SimAccount) => sim().ledger.orders({ venue: 'bitget', apiKey: account.apiKey });

  it("lists each fill with the stream's tradeId and the order's id, spot and USDT-M, with its fee", async () => {
    const { account, client } = await ready();
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    await client.createOrder(BTC_SPOT, 'market', 'sell', 0.001);
    const [perp, spot] = ledgerOf(account);
    const perpTrades = await client.fetchMyTrades(BTC_PERP);
    expect(perpTrades.map((trade) => ({ id: trade.id, order: trade.order, amount: trade.amount, side: trade.side, fee: trade.fee?.currency }))).toEqual([
      { id: perp && bitgetTradeId(perp), order: perp?.orderId, amount: 0.01, side: 'buy', fee: 'USDT' },
    ]);
    expect(perpTrades[0]?.fee?.cost).toBeCloseTo(perp?.fee.toNumber() ?? Number.NaN, 10);
    const spotTrades = await client.fetchMyTrades(BTC_SPOT);
    expect(spotTrades.map((trade) => ({ id: trade.id, order: trade.order, amount: trade.amount, fee: trade.fee?.currency }))).toEqual([
      { id: spot && bitgetTradeId(spot), order: spot?.orderId, amount: 0.001, fee: 'USDT' },
    ]);
    expect(spotTrades[0]?.fee?.cost).toBeCloseTo(spot?.fee.toNumber() ?? Number.NaN, 10);
  });

  it('newest first, from startTime, at most limit; the next page by idLessThan = endId', async () => {
    const { account, client } = await ready();
    for (let index = 0; index < 3; index += 1) await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    const ids = ledgerOf(account).map((order) => bitgetTradeId(order)).reverse();
    const first = (await client.privateMixGetV2MixOrderFills({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', limit: 2 })) as Page;
    expect(first.data.fillList.map((fill) => fill.tradeId)).toEqual(ids.slice(0, 2));
    expect(first.data.endId).toBe(ids[1]);
    const second = (await client.privateMixGetV2MixOrderFills({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', limit: 2, idLessThan: first.data.endId })) as Page;
    expect(second.data.fillList.map((fill) => fill.tradeId)).toEqual(ids.slice(2));
    const newest = ledgerOf(account).at(-1)?.time ?? 0;
    expect((await client.fetchMyTrades(BTC_PERP, newest + 1)).length).toBe(0);
  });
});
