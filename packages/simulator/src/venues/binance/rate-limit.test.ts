import ccxt from 'ccxt';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, createCcxtClient, errorOf, useSimulator, type CcxtClient } from '../../test-support';
import { BinanceWeightLimiter, weightPoolOf } from './rate-limit';
import { binanceFetch } from '../../test-support/binance-venue';

const MINUTE = 60_000;

describe('BinanceWeightLimiter', () => {
  const start = 1_700_000_080_000; // 40 s into a minute
  const minuteStart = start - (start % MINUTE);

  it('charges weight per IP and pool in windows aligned to the minute', () => {
    const limiter = new BinanceWeightLimiter({ binanceWeightPerMinute: 10 });
    expect(limiter.charge('1.1.1.1', '/api/v3/account', 6, start).headers).toEqual({ 'X-MBX-USED-WEIGHT-1M': '6' });
    expect(limiter.charge('1.1.1.1', '/api/v3/order', 4, start + 1).refusal).toBeUndefined();
    const over = limiter.charge('1.1.1.1', '/api/v3/time', 1, start + 2);
    expect(over.refusal).toMatchObject({ status: 429, body: { code: -1003 }, headers: { 'Retry-After': '20' } });
    // Another IP, another pool: their own budgets.
    expect(limiter.charge('2.2.2.2', '/api/v3/time', 10, start).refusal).toBeUndefined();
    expect(limiter.charge('1.1.1.1', '/sapi/v1/capital/config/getall', 10, start).headers).toEqual({ 'X-SAPI-USED-IP-WEIGHT-1M': '10' });
    // The next minute starts from zero.
    expect(limiter.charge('1.1.1.1', '/api/v3/time', 10, minuteStart + MINUTE).refusal).toBeUndefined();
  });

  it('gives every /sapi endpoint its own budget per IP, and answers it with 429 only, never a ban', () => {
    const limiter = new BinanceWeightLimiter({ binanceWeightPerMinute: 10 });
    expect(limiter.charge('1.1.1.1', '/sapi/v1/capital/config/getall', 10, start).refusal).toBeUndefined();
    expect(limiter.charge('1.1.1.1', '/sapi/v1/margin/allPairs', 10, start).headers).toEqual({ 'X-SAPI-USED-IP-WEIGHT-1M': '10' });
    for (let i = 0; i < 10; i++) expect(limiter.charge('1.1.1.1', '/sapi/v1/margin/allPairs', 1, start).refusal?.status).toBe(429);
  });

  it('bans a client that keeps sending through its 429s, twice as long each time, at most three days', () => {
    const limiter = new BinanceWeightLimiter({ binanceWeightPerMinute: 1 });
    let now = start;
    const bans: number[] = [];
    for (let round = 0; round < 14; round++) {
      limiter.charge('9.9.9.9', '/fapi/v1/time', 1, now);
      for (let i = 0; i < 3; i++) expect(limiter.charge('9.9.9.9', '/fapi/v1/time', 1, now).refusal?.status).toBe(429);
      const ban = limiter.charge('9.9.9.9', '/fapi/v1/time', 1, now).refusal;
      expect(ban?.status).toBe(418);
      const retryAfter = Number(ban?.headers?.['Retry-After']);
      bans.push(retryAfter);
      // Still banned a moment before the end, whatever is sent.
      expect(limiter.charge('9.9.9.9', '/fapi/v1/time', 0, now + retryAfter * 1000 - 1).refusal?.status).toBe(418);
      now += retryAfter * 1000;
    }
    expect(bans.slice(0, 4)).toEqual([120, 240, 480, 960]);
    expect(Math.max(...bans)).toBe(3 * 24 * 60 * 60);
  });

  it('uses the real budgets unless told otherwise and maps paths to pools', () => {
    const limiter = new BinanceWeightLimiter({});
    expect([limiter.budget('api'), limiter.budget('sapi'), limiter.budget('fapi'), limiter.budget('dapi')]).toEqual([6000, 12_000, 2400, 2400]);
    expect(['/api/v3/order', '/sapi/v1/capital/config/getall', '/fapi/v1/order', '/dapi/v1/time'].map(weightPoolOf)).toEqual([
      'api',
      'sapi',
      'fapi',
      'dapi',
    ]);
  });
});

describe('binance request weight through ccxt', () => {
  // 60 weight a minute: three spot account reads (20 each) or three exchangeInfo calls.
  const sim = useSimulator({ budgets: { binanceWeightPerMinute: 60 } });

  /** Fresh limiter state, and the simulator clock 50 ms into a new minute so no window rolls over mid-test. */
  beforeEach(() => {
    sim().reset();
    const now = Date.now();
    sim().clock.skew(MINUTE - (now % MINUTE) + 50);
  });

  function client(account?: SimAccount): CcxtClient {
    // The skew puts the simulator up to a minute ahead of ccxt's clock: widen recvWindow to its maximum.
    return createCcxtClient('binance', sim(), account, { options: { recvWindow: 60_000, fetchMargins: false, fetchCurrencies: false } });
  }

  it('is one budget per IP, shared by every key calling from it', async () => {
    const first = createAccount(sim(), 'binance');
    const second = createAccount(sim(), 'binance');
    const a = client(first);
    const b = client(second);
    b.setMarkets(Object.values(await a.loadMarkets())); // spot exchangeInfo: 20
    await a.fetchBalance(); // 40
    expect(a.last_response_headers?.['X-Mbx-Used-Weight-1m']).toBe('40');
    await b.fetchBalance(); // 60: the second key spends the same budget
    expect(b.last_response_headers?.['X-Mbx-Used-Weight-1m']).toBe('60');
    const error = await errorOf(b.fetchBalance());
    expect(error).toBeInstanceOf(ccxt.DDoSProtection);
    expect(error.message).toContain('binance 429');
    expect(JSON.parse(String(b.last_http_response))).toMatchObject({ code: -1003 });
    const retryAfter = Number(b.last_response_headers?.['Retry-After']);
    // The rest of the minute on the simulator's clock, read just after the refusal (a loaded machine
    // takes seconds to get here from the minute's start, so no fixed figure holds).
    const restOfMinute = (MINUTE - (sim().clock.now() % MINUTE)) / 1000;
    expect(retryAfter).toBeGreaterThanOrEqual(Math.floor(restOfMinute));
    expect(retryAfter).toBeLessThanOrEqual(60);
    // USDⓈ-M weight is a separate pool: the same IP still reads its futures account.
    expect((await a.fetchBalance({ type: 'future' })).USDT?.total).toBe(10000);
    expect(sim().requests({ exchange: 'binance', apiKey: second.apiKey }).map((entry) => entry.status)).toEqual([200, 429]);
  });

  it('charges USDⓈ-M order placement no IP weight, only the account\'s order counts; a leverage change costs 1', async () => {
    const account = createAccount(sim(), 'binance');
    const trader = client(account);
    await trader.loadMarkets();
    await trader.fetchTime({ type: 'future' });
    const before = Number(trader.last_response_headers?.['X-Mbx-Used-Weight-1m']);
    expect(before).toBeGreaterThan(0);
    await trader.setLeverage(5, 'BTC/USDT:USDT');
    expect(Number(trader.last_response_headers?.['X-Mbx-Used-Weight-1m'])).toBe(before + 1);
    for (let i = 0; i < 3; i++) await trader.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
    expect(Number(trader.last_response_headers?.['X-Mbx-Used-Weight-1m'])).toBe(before + 1);
    expect(trader.last_response_headers?.['X-Mbx-Order-Count-1m']).toBe('3');
    expect(sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey, market: 'futures' })).toHaveLength(3);
  });

  it('bans an IP that keeps hammering after 429 with 418, and lifts the ban after Retry-After', async () => {
    const exchangeInfo = (): Promise<{ status: number; headers: Headers }> => binanceFetch(sim().url, 'GET', '/api/v3/exchangeInfo');
    for (let i = 0; i < 3; i++) expect((await exchangeInfo()).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await exchangeInfo()).status).toBe(429);
    const banned = await exchangeInfo();
    expect(banned.status).toBe(418);
    expect(banned.headers.get('retry-after')).toBe('120');

    const publicClient = client();
    const error = await errorOf(publicClient.fetchTime());
    expect(error).toBeInstanceOf(ccxt.DDoSProtection);
    expect(error.message).toContain('binance 418');
    const body = JSON.parse(String(publicClient.last_http_response)) as { msg: string };
    expect(body.msg).toMatch(/^Way too much request weight used; IP banned until \d+\./);

    sim().clock.skew((sim().engine.clockSkew()) + 2 * MINUTE);
    expect((await exchangeInfo()).status).toBe(200);
    // A repeat offender is banned for twice as long.
    for (let i = 0; i < 2; i++) await exchangeInfo();
    for (let i = 0; i < 3; i++) expect((await exchangeInfo()).status).toBe(429);
    expect((await exchangeInfo()).headers.get('retry-after')).toBe('240');
  });
});
