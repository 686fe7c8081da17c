import ccxt from 'ccxt';
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, useSimulator } from '../../test-support';
import { ACK, BTC_PERP, BTC_SPOT, bybitClient, expectCcxtError, idOf, type BybitClient } from '../../test-support/bybit-venue';
import type { Simulator } from '../../start-simulator';
import { REALTIME_CLOSED_KEPT } from './order-queries';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Bybit's orderLinkId and order visibility through unmodified ccxt: the id format and its lasting
 * uniqueness, `/v5/order/realtime` keeping only the most recent 500 closed orders (and none from
 * before a restart), `/v5/order/history` answering 7 days at a time.
 */
describe('bybit orderLinkId and order visibility through ccxt', () => {
  const sim = useSimulator();
  const perCategory = useSimulator({ rules: { bybitOrderLinkIdScope: 'category' } });

  afterEach(() => {
    sim().clock.skew(0);
    sim().faults.clear();
  });

  async function ready(simulator: Simulator, account: SimAccount): Promise<BybitClient> {
    const client = bybitClient(simulator, account, { options: { adjustForTimeDifference: true } });
    await client.loadMarkets();
    return client;
  }

  const ledgerOf = (simulator: Simulator, account: SimAccount) => simulator.ledger.orders({ venue: 'bybit', apiKey: account.apiKey });

  it.each([
    ['longer than 36 characters', 'x'.repeat(37)],
    ['a dot', 'has.dot'],
    ['a colon', 'has:colon'],
  ])('refuses an orderLinkId with %s (10001, ccxt BadRequest), nothing executed', async (_what, id) => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(sim(), account);
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: id }), ccxt.BadRequest, 10001);
    expect(ledgerOf(sim(), account)).toEqual([]);
  });

  it('accepts 36 letters, digits, dashes and underscores', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(sim(), account);
    const id = `Ab-_${'9'.repeat(32)}`;
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: id });
    expect(ledgerOf(sim(), account).map((order) => order.clientOrderId)).toEqual([id]);
  });

  it('an orderLinkId stays taken after its order filled (110072); by default spot and linear share the space (170141)', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(sim(), account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'once' });
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'once' }), ccxt.InvalidOrder, 110072);
    await expectCcxtError(client.createOrder(BTC_SPOT, 'market', 'buy', 0.001, undefined, { clientOrderId: 'once' }), ccxt.InvalidOrder, 170141);
    expect(ledgerOf(sim(), account)).toHaveLength(1);
  });

  it('with the rule bybitOrderLinkIdScope "category", spot may use an id linear used (still refused within linear)', async () => {
    const account = createAccount(perCategory(), 'bybit');
    const client = await ready(perCategory(), account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'once' });
    await client.createOrder(BTC_SPOT, 'market', 'buy', 0.001, undefined, { clientOrderId: 'once' });
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'once' }), ccxt.InvalidOrder, 110072);
    expect(ledgerOf(perCategory(), account).map((order) => order.market)).toEqual(['futures', 'spot']);
  });

  it(`realtime keeps the most recent ${REALTIME_CLOSED_KEPT} closed orders of a category; an older one is found in history`, async () => {
    const account = createAccount(sim(), 'bybit', { balances: { USDT: '1000000' } });
    const client = await ready(sim(), account);
    const first = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'first' });
    // Filler orders straight through the engine: the venue's order budget would take minutes.
    for (let i = 0; i < REALTIME_CLOSED_KEPT - 1; i += 1) {
      sim().engine.placeOrder(account, { market: 'futures', symbol: 'BTCUSDT', side: i % 2 === 0 ? 'sell' : 'buy', quantity: new Decimal('0.01') });
    }
    expect((await client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'first' })).id).toBe(idOf(first));
    // A spot order does not push a linear one out.
    await client.createOrder(BTC_SPOT, 'market', 'buy', 0.001);
    expect((await client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'first' })).id).toBe(idOf(first));
    sim().engine.placeOrder(account, { market: 'futures', symbol: 'BTCUSDT', side: 'sell', quantity: new Decimal('0.01') });
    await expectCcxtError(client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'first' }), ccxt.OrderNotFound);
    expect((await client.fetchClosedOrder('', BTC_PERP, { orderId: undefined, orderLinkId: 'first' })).id).toBe(idOf(first));
  });

  it('realtime on linear wants symbol, baseCoin or settleCoin (10001)', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(sim(), account);
    await expectCcxtError(client.privateGetV5OrderRealtime({ category: 'linear' }), ccxt.BadRequest, 10001);
    expect(await client.privateGetV5OrderRealtime({ category: 'linear', settleCoin: 'USDT' })).toMatchObject({ retCode: 0, result: { list: [] } });
  });

  it('no order is ever open: fetchOpenOrders lists none; realtime lists closed ones only with openOnly=1', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(sim(), account);
    const order = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    expect(await client.fetchOpenOrders(BTC_PERP)).toEqual([]);
    const closed = await client.fetchOpenOrders(BTC_PERP, undefined, undefined, { openOnly: 1 });
    expect(closed.map((listed) => [listed.id, listed.status])).toEqual([[idOf(order), 'closed']]);
  });

  it('history answers the last 7 days by default and at most 7 days per query; older orders need a window', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(sim(), account);
    const order = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'week-old' });
    const placedAt = ledgerOf(sim(), account)[0]?.time;
    sim().clock.skew(8 * DAY);
    await client.loadTimeDifference();
    expect(await client.fetchClosedOrders(BTC_PERP)).toEqual([]);
    expect((await client.fetchClosedOrders(BTC_PERP, placedAt)).map((listed) => listed.clientOrderId)).toEqual(['week-old']);
    const now = sim().clock.now();
    await expectCcxtError(client.fetchClosedOrders(BTC_PERP, now - 8 * DAY, undefined, { until: now }), ccxt.BadRequest, 10001);
    // realtime has no time window: the order is among the most recent closed ones.
    expect((await client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'week-old' })).id).toBe(idOf(order));
  });

  it('a restart empties realtime of closed orders: only history finds them; orders, balances and positions survive', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = await ready(sim(), account);
    const before = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'before-restart' });
    const position = sim().positions('bybit', account.apiKey);
    sim().faults.add({ kind: 'restart', exchange: 'bybit', path: '/v5/market/time', count: 1 });
    await expect(client.fetchTime()).rejects.toBeInstanceOf(ccxt.NetworkError);
    await expectCcxtError(client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'before-restart' }), ccxt.OrderNotFound);
    expect((await client.fetchClosedOrder('', BTC_PERP, { orderId: undefined, orderLinkId: 'before-restart' })).id).toBe(idOf(before));
    const after = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'after-restart' });
    expect((await client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'after-restart' })).id).toBe(idOf(after));
    // The id taken before the restart is still taken.
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'before-restart' }), ccxt.InvalidOrder, 110072);
    expect(ledgerOf(sim(), account).map((order) => order.clientOrderId)).toEqual(['before-restart', 'after-restart']);
    expect(sim().positions('bybit', account.apiKey)[0]?.size.toFixed()).toBe(new Decimal(position[0]?.size ?? 0).plus('0.01').toFixed());
  });
});
