import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, createCcxtClient, useSimulator, type CcxtClient } from '../../test-support';
import { expectRefusal, idOf } from '../../test-support/binance-venue';
import type { Simulator } from '../../start-simulator';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Binance's client order ids and order visibility as an unmodified ccxt client meets them: an id is
 * unique among open orders only (a filled order's id places a new order), spot and USDⓈ-M keep
 * separate id spaces, and USDⓈ-M stops finding an order 90 days after it was created.
 */
describe('binance client order ids and order visibility through ccxt', () => {
  const sim = useSimulator();
  const oldest = useSimulator({ rules: { sharedClientOrderIdLookup: 'oldest' } });

  afterEach(() => {
    sim().clock.skew(0);
  });

  async function ready(simulator: Simulator, account: SimAccount): Promise<CcxtClient> {
    // Time sync, as every client run against a venue clock it does not share should have.
    const client = createCcxtClient('binance', simulator, account, { options: { adjustForTimeDifference: true } });
    await client.loadMarkets();
    return client;
  }

  function ledgerOf(simulator: Simulator, account: SimAccount) {
    return simulator.ledger.orders({ venue: 'binance', apiKey: account.apiKey });
  }

  it.each([
    ['spot', 'BTC/USDT', 0.001],
    ['futures', 'BTC/USDT:USDT', 0.002],
  ] as const)('%s: the id of a filled order places a second order, and a lookup by that id answers the newer one', async (_market, symbol, amount) => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(sim(), account);
    const first = await client.createOrder(symbol, 'market', 'buy', amount, undefined, { clientOrderId: 'again' });
    const second = await client.createOrder(symbol, 'market', 'buy', amount, undefined, { clientOrderId: 'again' });
    expect(idOf(second)).not.toBe(idOf(first));
    expect(ledgerOf(sim(), account).map((order) => [order.orderId, order.clientOrderId])).toEqual([
      [idOf(first), 'again'],
      [idOf(second), 'again'],
    ]);
    expect((await client.fetchOrder('', symbol, { origClientOrderId: 'again' })).id).toBe(idOf(second));
  });

  it('with the rule sharedClientOrderIdLookup "oldest", the lookup answers the first order instead', async () => {
    const account = createAccount(oldest(), 'binance');
    const client = await ready(oldest(), account);
    const first = await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'again' });
    await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'again' });
    expect((await client.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'again' })).id).toBe(idOf(first));
  });

  it('spot and USDⓈ-M are separate id spaces: one id on both, each route finds its own order', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(sim(), account);
    const spot = await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'both-markets' });
    const futures = await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002, undefined, { clientOrderId: 'both-markets' });
    expect(ledgerOf(sim(), account).map((order) => order.market)).toEqual(['spot', 'futures']);
    expect((await client.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'both-markets' })).id).toBe(idOf(spot));
    expect((await client.fetchOrder('', 'BTC/USDT:USDT', { origClientOrderId: 'both-markets' })).id).toBe(idOf(futures));
  });

  it('no order is ever open: fetchOpenOrders lists none on either market', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(sim(), account);
    await client.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    expect(await client.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect(await client.fetchOpenOrders('BTC/USDT:USDT')).toEqual([]);
  });

  it('fetchClosedOrders lists filled orders oldest first; USDⓈ-M only those of the recent 7 days', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(sim(), account);
    const spot = await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'spot-1' });
    const futures = await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002, undefined, { clientOrderId: 'perp-1' });
    expect((await client.fetchClosedOrders('BTC/USDT')).map((order) => [order.id, order.clientOrderId, order.status])).toEqual([
      [idOf(spot), 'spot-1', 'closed'],
    ]);
    expect((await client.fetchClosedOrders('BTC/USDT:USDT')).map((order) => [order.id, order.filled])).toEqual([[idOf(futures), 0.002]]);
    sim().clock.skew(8 * DAY);
    await client.loadTimeDifference();
    expect(await client.fetchClosedOrders('BTC/USDT:USDT')).toEqual([]);
    expect((await client.fetchClosedOrders('BTC/USDT:USDT', futures.timestamp)).map((order) => order.id)).toEqual([idOf(futures)]);
    // Spot lists the most recent orders when no window is given.
    expect((await client.fetchClosedOrders('BTC/USDT')).map((order) => order.id)).toEqual([idOf(spot)]);
  });

  it('spot allOrders refuses a window longer than 24 hours (-1127)', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(sim(), account);
    const now = sim().clock.now();
    await expectRefusal(client, client.fetchClosedOrders('BTC/USDT', now - 2 * DAY, undefined, { until: now }), ccxt.BadRequest, -1127);
  });

  it('USDⓈ-M stops finding an order 90 days after it was created (-2013); spot still finds its filled order', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(sim(), account);
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002, undefined, { clientOrderId: 'old-perp' });
    await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'old-spot' });
    sim().clock.skew(89 * DAY);
    await client.loadTimeDifference();
    expect((await client.fetchOrder('', 'BTC/USDT:USDT', { origClientOrderId: 'old-perp' })).status).toBe('closed');
    sim().clock.skew(91 * DAY);
    await client.loadTimeDifference();
    await expectRefusal(client, client.fetchOrder('', 'BTC/USDT:USDT', { origClientOrderId: 'old-perp' }), ccxt.OrderNotFound, -2013);
    expect((await client.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'old-spot' })).status).toBe('closed');
  });
});
