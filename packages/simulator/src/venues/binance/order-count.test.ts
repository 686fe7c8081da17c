import ccxt from 'ccxt';
import { beforeEach, describe, expect, it } from 'vitest';
import type { VenueResponse } from '../../contract';
import { createManualClock } from '../../engine-clock';
import { createAccount, createCcxtClient, errorOf, signWithSimulatorClock, useSimulator, type CcxtClient } from '../../test-support';
import type { SimAccount } from '../../engine-account';
import { binanceFetch } from '../../test-support/binance-venue';
import { BinanceOrderCounter, orderRateLimits } from './order-count';

/** A multiple of a day: every window of these tests starts here. */
const DAY = 86_400_000;
const START = 20_000 * DAY;

function refusalOf(response: VenueResponse | undefined): { status: number; code: unknown; msg: unknown; retryAfter: string | undefined } {
  const body = response?.body as { code?: unknown; msg?: unknown } | undefined;
  return { status: response?.status ?? 0, code: body?.code, msg: body?.msg, retryAfter: response?.headers?.['Retry-After'] };
}

describe('Binance order counts per account', () => {
  it('spot: refuses the order over the 10 s limit with -1015 on HTTP 429 and Retry-After, and takes filled orders off the count a second later', () => {
    const counter = new BinanceOrderCounter({ binanceSpotOrdersPer10s: 2 });
    expect(counter.check('u1', 'spot', START)).toBeUndefined();
    expect(counter.record('u1', 'spot', START)).toEqual({ 'X-MBX-ORDER-COUNT-10S': '1', 'X-MBX-ORDER-COUNT-1D': '1' });
    expect(counter.record('u1', 'spot', START + 100)).toEqual({ 'X-MBX-ORDER-COUNT-10S': '2', 'X-MBX-ORDER-COUNT-1D': '2' });

    expect(refusalOf(counter.check('u1', 'spot', START + 999))).toEqual({
      status: 429,
      code: -1015,
      msg: 'Too many new orders; current limit is 2 orders per 10 SECOND.',
      retryAfter: '10',
    });
    // The first fill's decrement is due at START + 1000: one place frees, in both windows.
    expect(counter.check('u1', 'spot', START + 1_000)).toBeUndefined();
    expect(counter.record('u1', 'spot', START + 1_000)).toEqual({ 'X-MBX-ORDER-COUNT-10S': '2', 'X-MBX-ORDER-COUNT-1D': '2' });
    expect(counter.check('u1', 'spot', START + 1_099)).toBeDefined();
    expect(counter.check('u1', 'spot', START + 1_100)).toBeUndefined();
  });

  it('spot: with the decrement at once, filled market orders never accumulate', () => {
    const counter = new BinanceOrderCounter({ binanceSpotOrdersPer10s: 2, binanceSpotFillDecrementMs: 0 });
    for (let i = 0; i < 50; i++) {
      expect(counter.check('u1', 'spot', START)).toBeUndefined();
      expect(counter.record('u1', 'spot', START)['X-MBX-ORDER-COUNT-10S']).toBe('1');
    }
  });

  it('spot: a decrement that falls due in a later window does not lower that window below zero', () => {
    const counter = new BinanceOrderCounter({ binanceSpotOrdersPer10s: 1 });
    counter.record('u1', 'spot', START + 9_500);
    // Due at START + 10 500, in the next window, whose count is 0: nothing to take off there.
    expect(counter.record('u1', 'spot', START + 10_600)).toEqual({ 'X-MBX-ORDER-COUNT-10S': '1', 'X-MBX-ORDER-COUNT-1D': '1' });
    expect(counter.check('u1', 'spot', START + 10_700)).toBeDefined();
  });

  it('spot: the daily limit runs from 00:00 UTC and names the day in its refusal', () => {
    const counter = new BinanceOrderCounter({ binanceSpotOrdersPerDay: 2, binanceSpotFillDecrementMs: DAY });
    counter.record('u1', 'spot', START + 20_000);
    counter.record('u1', 'spot', START + 40_000);
    expect(refusalOf(counter.check('u1', 'spot', START + DAY - 60_000))).toEqual({
      status: 429,
      code: -1015,
      msg: 'Too many new orders; current limit is 2 orders per 1 DAY.',
      retryAfter: '60',
    });
    expect(counter.check('u1', 'spot', START + DAY)).toBeUndefined();
  });

  it('USDⓈ-M: 10 s and 1 minute limits, no decrement for fills, and -1015 on HTTP 429 without Retry-After', () => {
    const counter = new BinanceOrderCounter({ binanceFuturesOrdersPer10s: 2, binanceFuturesOrdersPerMinute: 3 });
    expect(counter.record('u1', 'futures', START)).toEqual({ 'X-MBX-ORDER-COUNT-10S': '1', 'X-MBX-ORDER-COUNT-1M': '1' });
    expect(counter.record('u1', 'futures', START + 1)).toEqual({ 'X-MBX-ORDER-COUNT-10S': '2', 'X-MBX-ORDER-COUNT-1M': '2' });
    expect(refusalOf(counter.check('u1', 'futures', START + 9_999))).toEqual({
      status: 429,
      code: -1015,
      msg: 'Too many new orders; current limit is 2 orders per 10 SECOND.',
      retryAfter: undefined,
    });
    expect(counter.record('u1', 'futures', START + 10_000)).toEqual({ 'X-MBX-ORDER-COUNT-10S': '1', 'X-MBX-ORDER-COUNT-1M': '3' });
    expect(refusalOf(counter.check('u1', 'futures', START + 20_000)).msg).toBe('Too many new orders; current limit is 3 orders per 1 MINUTE.');
    expect(counter.check('u1', 'futures', START + 60_000)).toBeUndefined();
  });

  it('counts per account and per market: spot and USDⓈ-M are separate systems', () => {
    const counter = new BinanceOrderCounter({ binanceSpotOrdersPer10s: 1, binanceFuturesOrdersPer10s: 1 });
    counter.record('u1', 'spot', START);
    expect(counter.check('u1', 'spot', START)).toBeDefined();
    expect(counter.check('u2', 'spot', START)).toBeUndefined();
    expect(counter.check('u1', 'futures', START)).toBeUndefined();
  });

  it("uses Binance's published limits unless told otherwise", () => {
    expect(orderRateLimits({}, 'spot')).toEqual([
      { interval: 'SECOND', intervalNum: 10, limit: 100 },
      { interval: 'DAY', intervalNum: 1, limit: 200_000 },
    ]);
    expect(orderRateLimits({}, 'futures')).toEqual([
      { interval: 'SECOND', intervalNum: 10, limit: 300 },
      { interval: 'MINUTE', intervalNum: 1, limit: 1_200 },
    ]);
  });
});

describe('Binance order counts through ccxt', () => {
  // The simulator's clock moves only when a test says so; ccxt signs with it.
  const clock = createManualClock(START + 20_000);
  const budgets = { binanceSpotOrdersPer10s: 2, binanceFuturesOrdersPer10s: 2, binanceFuturesOrdersPerMinute: 3 };
  const sim = useSimulator({ clock, budgets });

  beforeEach(() => {
    sim().reset();
    // On to the start of a minute (and of a 10 s window) after whatever the previous test advanced.
    clock.advance(60_000 - (clock.now() % 60_000));
  });

  async function trader(): Promise<{ account: SimAccount; client: CcxtClient }> {
    const account = createAccount(sim(), 'binance');
    const client = signWithSimulatorClock(createCcxtClient('binance', sim(), account, { options: { fetchMargins: false, fetchCurrencies: false } }), sim());
    await client.loadMarkets();
    return { account, client };
  }

  function orderStatuses(account: SimAccount, path: string): number[] {
    return sim()
      .requests({ exchange: 'binance', apiKey: account.apiKey })
      .filter((entry) => entry.method === 'POST' && entry.path.endsWith(path))
      .map((entry) => entry.status);
  }

  it('publishes in exchangeInfo exactly the order limits it enforces', async () => {
    const spot = (await binanceFetch(sim().url, 'GET', '/api/v3/exchangeInfo')).json as { rateLimits: unknown[] };
    expect(spot.rateLimits).toEqual([
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 2 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200_000 },
    ]);
    const futures = (await binanceFetch(sim().url, 'GET', '/fapi/v1/exchangeInfo')).json as { rateLimits: unknown[] };
    expect(futures.rateLimits).toEqual([
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 2 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 3 },
    ]);
  });

  it('spot: a burst past the unfilled-order limit is refused with -1015 (DDoSProtection in ccxt), executes nothing, and passes once the fills are counted off', async () => {
    const { account, client } = await trader();
    await client.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    expect(client.last_response_headers).toMatchObject({ 'X-Mbx-Order-Count-10s': '1', 'X-Mbx-Order-Count-1d': '1' });
    await client.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    expect(client.last_response_headers).toMatchObject({ 'X-Mbx-Order-Count-10s': '2' });

    const refused = await errorOf(client.createOrder('BTC/USDT', 'market', 'buy', 0.001));
    expect(refused).toBeInstanceOf(ccxt.DDoSProtection);
    expect(refused.message).toContain('"code":-1015');
    expect(refused.message).toContain('current limit is 2 orders per 10 SECOND');
    expect(client.last_response_headers?.['Retry-After']).toBe('10');
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(2);

    clock.advance(1_000);
    await client.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(3);
    expect(orderStatuses(account, '/api/v3/order')).toEqual([200, 200, 429, 200]);
  });

  it('USDⓈ-M: the order over the 10 s limit is refused with -1015 and no Retry-After; the next window takes orders again', async () => {
    const { account, client } = await trader();
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    expect(client.last_response_headers).toMatchObject({ 'X-Mbx-Order-Count-10s': '1', 'X-Mbx-Order-Count-1m': '1' });
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    clock.advance(5_000);

    const refused = await errorOf(client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002));
    expect(refused).toBeInstanceOf(ccxt.DDoSProtection);
    expect(refused.message).toContain('"code":-1015');
    expect(client.last_response_headers).not.toHaveProperty('Retry-After');
    expect(sim().ledger.orders({ apiKey: account.apiKey, market: 'futures' })).toHaveLength(2);

    clock.advance(5_000);
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    expect(client.last_response_headers).toMatchObject({ 'X-Mbx-Order-Count-10s': '1', 'X-Mbx-Order-Count-1m': '3' });
    const minute = await errorOf(client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002));
    expect(minute.message).toContain('current limit is 3 orders per 1 MINUTE');
    expect(orderStatuses(account, '/fapi/v1/order')).toEqual([200, 200, 429, 200, 429]);
  });

  it('counts per account, whatever key or address it comes from: another account is not held back', async () => {
    const { client } = await trader();
    const other = await trader();
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    await expect(other.client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002)).resolves.toHaveProperty('id');
  });
});
