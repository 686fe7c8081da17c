import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { systemClock, type SimClock } from '../../engine-clock';
import { createAccount, signWithSimulatorClock, useSimulator } from '../../test-support';
import { ACK, BTC_PERP, bybitClient, expectCcxtError, idOf } from '../../test-support/bybit-venue';

/** Real time plus an offset the tests move, so lags pass without sleeping; or stopped, for a burst. */
let offset = 0;
let stoppedAt: number | undefined;
const clock: SimClock = { now: () => stoppedAt ?? Date.now() + offset, setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms) };

describe('Bybit rate limits and faults through ccxt', () => {
  const sim = useSimulator({ clock, budgets: { bybitOrdersPerSecond: 2 } });

  it('refuses the third order in a rolling second with 10006 on HTTP 200 per UID, leaving other accounts alone', async () => {
    const account = createAccount(sim(), 'bybit');
    const other = createAccount(sim(), 'bybit');
    // Signed with the simulator's clock, so a burst slowed by a busy machine is never out of the
    // receive window while that clock stands still.
    const client = signWithSimulatorClock(bybitClient(sim(), account), sim());
    const bystander = signWithSimulatorClock(bybitClient(sim(), other), sim());
    await Promise.all([client.loadMarkets(), bystander.loadMarkets()]);
    // The simulator clock stands still during the burst, so all three fall in one rolling second.
    const frozen = Date.now();
    stoppedAt = frozen;
    try {
      await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
      expect(client.last_response_headers).toMatchObject({ 'X-Bapi-Limit': '2', 'X-Bapi-Limit-Status': '1' });
      await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
      await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01), ccxt.RateLimitExceeded, 10006);
      expect(client.last_response_headers).toMatchObject({ 'X-Bapi-Limit-Status': '0' });
      expect(client.last_response_headers).not.toHaveProperty('Retry-After');
      expect(Number(client.last_response_headers?.['X-Bapi-Limit-Reset-Timestamp'])).toBeGreaterThan(frozen);
      await bystander.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    } finally {
      stoppedAt = undefined;
    }
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(2);
    const statuses = sim().requests({ exchange: 'bybit', apiKey: account.apiKey }).filter((entry) => entry.path.endsWith('/order/create'));
    expect(statuses.map((entry) => entry.status)).toEqual([200, 200, 200]);
  });

  it('answers a rateLimit fault with 10006 on HTTP 200 and RateLimitExceeded', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.loadMarkets();
    sim().faults.add({ kind: 'rateLimit', exchange: 'bybit', apiKey: account.apiKey, count: 1 });
    await expectCcxtError(client.fetchBalance(), ccxt.RateLimitExceeded, 10006);
    expect(sim().requests({ exchange: 'bybit', apiKey: account.apiKey }).filter((entry) => entry.fault !== undefined)).toMatchObject([{ status: 200, fault: 'rateLimit' }]);
    expect((await client.fetchBalance()).USDT?.total).toBe(20000);
  });

  it('answers an error5xx fault with the gateway 502, an ExchangeNotAvailable that executed nothing', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.loadMarkets();
    sim().faults.add({ kind: 'error5xx', exchange: 'bybit', path: '/v5/order/create', apiKey: account.apiKey, count: 1 });
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01), ccxt.ExchangeNotAvailable);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });

  it('commit-then-fail: the order executes, the client sees a gateway timeout, and reconciling by orderLinkId finds it', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.loadMarkets();
    sim().faults.add({ kind: 'commitThenFail', exchange: 'bybit', apiKey: account.apiKey, count: 1 });
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'ctf-1' }), ccxt.RequestTimeout);
    expect(sim().ledger.orders({ apiKey: account.apiKey }).map((order) => order.clientOrderId)).toEqual(['ctf-1']);
    const found = await client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'ctf-1' });
    expect(found).toMatchObject({ clientOrderId: 'ctf-1', status: 'closed', filled: 0.01 });
    // A naive resend with the same orderLinkId is refused rather than doubled.
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'ctf-1' }), ccxt.InvalidOrder, 110072);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(1);
  });

  it('commit-then-fail by reset: the connection drops after the order executed', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.loadMarkets();
    sim().faults.add({ kind: 'commitThenFail', mode: 'reset', exchange: 'bybit', apiKey: account.apiKey, count: 1 });
    await expect(client.createOrder(BTC_PERP, 'market', 'sell', 0.01)).rejects.toBeInstanceOf(ccxt.NetworkError);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(1);
  });

  it('query lag: a fresh order reads as not found by id and by orderLinkId until the lag has passed', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    sim().faults.add({ kind: 'queryLag', exchange: 'bybit', apiKey: account.apiKey, ms: 2000 });
    const order = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lag-1' });
    try {
      await expectCcxtError(client.fetchOrder(idOf(order), BTC_PERP, ACK), ccxt.OrderNotFound);
      await expectCcxtError(client.fetchOrder('', BTC_PERP, { ...ACK, orderLinkId: 'lag-1' }), ccxt.OrderNotFound);
      offset = 2001;
      expect(await client.fetchOrder(idOf(order), BTC_PERP, ACK)).toMatchObject({ id: order.id, status: 'closed' });
    } finally {
      offset = 0;
      sim().faults.clear();
    }
  });

  it('malformed body: ccxt does not raise for Bybit but returns an order without an id, and nothing executed', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.loadMarkets();
    sim().faults.add({ kind: 'malformed', exchange: 'bybit', path: '/v5/order/create', apiKey: account.apiKey, count: 1 });
    const order = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    expect(order.id).toBeUndefined();
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });
});
