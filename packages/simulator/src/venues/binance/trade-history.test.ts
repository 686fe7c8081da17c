import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccount, createCcxtClient, useSimulator } from '../../test-support';

const DAY = 24 * 60 * 60 * 1000;

/** `GET /api/v3/myTrades` and `/fapi/v1/userTrades` through ccxt's `fetchMyTrades`: `startTime`, `endTime` and `limit`. */
describe('binance trade lists: startTime, endTime, limit', () => {
  const sim = useSimulator();

  afterEach(() => {
    sim().clock.skew(0);
  });

  /** A client that follows the simulator's clock as a test moves it. */
  function clientOf(account: Parameters<typeof createCcxtClient>[2]) {
    return createCcxtClient('binance', sim(), account, { options: { adjustForTimeDifference: true } });
  }

  async function moveClock(client: ReturnType<typeof clientOf>, ms: number): Promise<void> {
    sim().clock.skew(ms);
    await (client as unknown as { loadTimeDifference(): Promise<unknown> }).loadTimeDifference();
  }

  it.each([
    ['spot', 'BTC/USDT', 0.001],
    ['futures', 'BTC/USDT:USDT', 0.01],
  ] as const)('%s: oldest first; from startTime the first `limit` trades', async (market, symbol, amount) => {
    const account = createAccount(sim(), 'binance', { balances: { USDT: '100000' } });
    const client = clientOf(account);
    for (let index = 0; index < 3; index += 1) {
      await moveClock(client, index * 1_000);
      await client.createOrder(symbol, 'market', 'buy', amount);
    }
    const ledger = sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey }).filter((order) => order.market === market);
    const orderIds = ledger.map((order) => order.orderId);
    const times = ledger.map((order) => order.time);
    expect((await client.fetchMyTrades(symbol)).map((trade) => trade.order)).toEqual(orderIds);
    // Spot without startTime: the most recent; USDⓈ-M reads from its default window's start, as allOrders does.
    expect((await client.fetchMyTrades(symbol, undefined, 2)).map((trade) => trade.order)).toEqual(market === 'spot' ? orderIds.slice(1) : orderIds.slice(0, 2));
    expect((await client.fetchMyTrades(symbol, times[0], 2)).map((trade) => trade.order)).toEqual(orderIds.slice(0, 2));
    expect((await client.fetchMyTrades(symbol, (times[1] ?? 0) + 1)).map((trade) => trade.order)).toEqual(orderIds.slice(2));
    expect((await client.fetchMyTrades(symbol, times[0], undefined, { until: times[1] })).map((trade) => trade.order)).toEqual(orderIds.slice(0, 2));
  });

  it('USDⓈ-M without startTime or endTime answers the last 7 days; spot answers all; a window too long is -1127', async () => {
    const account = createAccount(sim(), 'binance', { balances: { USDT: '100000' } });
    const client = clientOf(account);
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01);
    await client.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    const placedAt = sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey })[0]?.time ?? 0;
    await moveClock(client, 8 * DAY);
    expect(await client.fetchMyTrades('BTC/USDT:USDT')).toEqual([]);
    expect(await client.fetchMyTrades('BTC/USDT:USDT', placedAt)).toHaveLength(1);
    expect(await client.fetchMyTrades('BTC/USDT')).toHaveLength(1);
    // As allOrders: more than 7 days (USDⓈ-M) or 24 hours (spot) between startTime and endTime is -1127.
    await expect(client.fetchMyTrades('BTC/USDT:USDT', placedAt, undefined, { until: placedAt + 8 * DAY })).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(client.fetchMyTrades('BTC/USDT', placedAt, undefined, { until: placedAt + 2 * DAY })).rejects.toBeInstanceOf(ccxt.BadRequest);
  });
});
