import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, useSimulator } from '../../test-support';
import { BTC_PERP, BTC_SPOT, bybitClient, expectCcxtError, type BybitClient } from '../../test-support/bybit-venue';
import { bybitExecId } from './streams';

const DAY = 24 * 60 * 60 * 1000;

/** `GET /v5/execution/list` through unmodified ccxt (`fetchMyTrades`), the REST side of the `execution` topic. */
describe('bybit execution list through ccxt', () => {
  const sim = useSimulator();

  async function ready(account: SimAccount): Promise<BybitClient> {
    const client = bybitClient(sim(), account, { options: { adjustForTimeDifference: true } });
    await client.loadMarkets();
    return client;
  }

  const ledgerOf = (account: SimAccount) => sim().ledger.orders({ venue: 'bybit', apiKey: account.apiKey });

  it("lists each fill with the stream's execId, the order's id and orderLinkId, per category and symbol", async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'perp-fill' });
    await client.createOrder(BTC_SPOT, 'market', 'buy', 0.001, undefined, { clientOrderId: 'spot-fill' });
    const [perp, spot] = ledgerOf(account);
    const perpTrades = await client.fetchMyTrades(BTC_PERP);
    expect(perpTrades.map((trade) => ({ id: trade.id, order: trade.order, amount: trade.amount, link: (trade.info as { orderLinkId?: unknown }).orderLinkId }))).toEqual([
      { id: perp && bybitExecId(perp), order: perp?.orderId, amount: 0.01, link: 'perp-fill' },
    ]);
    const spotTrades = await client.fetchMyTrades(BTC_SPOT);
    expect(spotTrades.map((trade) => trade.id)).toEqual([spot && bybitExecId(spot)]);
  });

  it('newest first, limit 1 to 100 (50 by default), the next page through nextPageCursor', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(account);
    for (let index = 0; index < 3; index += 1) await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    const ids = ledgerOf(account).map((order) => bybitExecId(order)).reverse();
    const first = (await client.privateGetV5ExecutionList({ category: 'linear', symbol: 'BTCUSDT', limit: 2 })) as { result: { list: { execId: string }[]; nextPageCursor: string } };
    expect(first.result.list.map((entry) => entry.execId)).toEqual(ids.slice(0, 2));
    expect(first.result.nextPageCursor).not.toBe('');
    const second = (await client.privateGetV5ExecutionList({ category: 'linear', symbol: 'BTCUSDT', limit: 2, cursor: first.result.nextPageCursor })) as typeof first;
    expect(second.result.list.map((entry) => entry.execId)).toEqual(ids.slice(2));
    expect(second.result.nextPageCursor).toBe('');
    await expectCcxtError(client.fetchMyTrades(BTC_PERP, undefined, 101), ccxt.BadRequest, 10001);
  });

  it('startTime / endTime: 7 days at most, the last 7 days by default, 7 days from startTime', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    const placedAt = ledgerOf(account)[0]?.time ?? 0;
    expect(await client.fetchMyTrades(BTC_PERP, placedAt + 1)).toEqual([]);
    expect(await client.fetchMyTrades(BTC_PERP, placedAt)).toHaveLength(1);
    sim().clock.skew(8 * DAY);
    try {
      await client.loadTimeDifference();
      expect(await client.fetchMyTrades(BTC_PERP)).toEqual([]);
      expect(await client.fetchMyTrades(BTC_PERP, placedAt)).toHaveLength(1);
      const now = sim().clock.now();
      await expectCcxtError(client.fetchMyTrades(BTC_PERP, now - 8 * DAY, undefined, { until: now }), ccxt.BadRequest, 10001);
    } finally {
      sim().clock.skew(0);
    }
  });
});
