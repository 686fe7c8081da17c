import { describe, expect, it } from 'vitest';
import type { VenueRequest } from '../../contract';
import { SimEngine } from '../../engine';
import { createManualClock } from '../../engine-clock';
import { createAccount, useSimulator } from '../../test-support';
import { binanceVenue } from './venue';
import { authenticateBinance, signedPayload } from './auth';
import { readParams } from './params';
import { binanceFetch, signedBinanceFetch } from '../../test-support/binance-venue';
import { hmacSha256Hex } from '../shared/hmac';

describe('signedPayload', () => {
  it('is the query string followed directly by the body, each without its signature parameter', () => {
    expect(signedPayload('symbol=BTCUSDT&timestamp=1&signature=abc', '')).toEqual({ payload: 'symbol=BTCUSDT&timestamp=1', signature: 'abc' });
    expect(signedPayload('', 'symbol=BTCUSDT&signature=def&timestamp=1')).toEqual({ payload: 'symbol=BTCUSDT&timestamp=1', signature: 'def' });
    expect(signedPayload('symbol=BTCUSDT&side=BUY', 'quantity=1&timestamp=2&signature=0f')).toEqual({
      payload: 'symbol=BTCUSDT&side=BUYquantity=1&timestamp=2',
      signature: '0f',
    });
    expect(signedPayload('a=1', 'b=2')).toEqual({ payload: 'a=1b=2', signature: undefined });
  });
});

describe('authenticateBinance', () => {
  const clock = createManualClock(1_700_000_000_000);
  const engine = new SimEngine({ venues: [binanceVenue], clock });
  const account = engine.createAccount({ venue: 'binance', apiKey: 'K'.repeat(64), secret: 'S'.repeat(64) });

  function request(rawQuery: string, rawBody = '', headers: Record<string, string> = { 'x-mbx-apikey': account.apiKey }): VenueRequest {
    return {
      method: rawBody === '' ? 'GET' : 'POST',
      path: '/api/v3/account',
      rawQuery,
      query: Object.fromEntries(new URLSearchParams(rawQuery)),
      rawBody,
      body: Object.fromEntries(new URLSearchParams(rawBody)),
      headers,
      ip: '127.0.0.1',
    };
  }

  function sign(payload: string, secret = account.secret): string {
    return hmacSha256Hex(secret, payload);
  }

  function check(req: VenueRequest): unknown {
    const result = authenticateBinance(req, engine, readParams(req));
    return 'status' in result ? result.body : 'accepted';
  }

  const now = clock.now();

  it('accepts the documented signature, in the query or split across query and body, in either hex case', () => {
    const query = `recvWindow=5000&timestamp=${now}`;
    expect(check(request(`${query}&signature=${sign(query)}`))).toBe('accepted');
    expect(check(request(`${query}&signature=${sign(query).toUpperCase()}`))).toBe('accepted');
    const body = `symbol=BTCUSDT&timestamp=${now}`;
    expect(check(request('side=BUY', `${body}&signature=${sign(`side=BUY${body}`)}`))).toBe('accepted');
  });

  it('refuses a missing or unknown key with -2014 / -2015', () => {
    const query = `timestamp=${now}`;
    expect(check(request(`${query}&signature=${sign(query)}`, '', {}))).toEqual({ code: -2014, msg: 'API-key format invalid.' });
    expect(check(request(`${query}&signature=${sign(query)}`, '', { 'x-mbx-apikey': 'nobody' }))).toEqual({
      code: -2015,
      msg: 'Invalid API-key, IP, or permissions for action.',
    });
  });

  it('refuses a missing timestamp or signature with -1102, an oversized recvWindow with -1131', () => {
    expect(check(request(`a=1&signature=${sign('a=1')}`))).toMatchObject({ code: -1102, msg: expect.stringContaining("'timestamp'") as unknown });
    expect(check(request(`timestamp=${now}`))).toMatchObject({ code: -1102, msg: expect.stringContaining("'signature'") as unknown });
    const query = `timestamp=${now}&recvWindow=60001`;
    expect(check(request(`${query}&signature=${sign(query)}`))).toMatchObject({ code: -1131 });
  });

  it('refuses a signature under another secret, over other bytes, or not hex with -1022', () => {
    const query = `timestamp=${now}`;
    const invalid = { code: -1022, msg: 'Signature for this request is not valid.' };
    expect(check(request(`${query}&signature=${sign(query, 'other')}`))).toEqual(invalid);
    expect(check(request(`${query}&extra=1&signature=${sign(query)}`))).toEqual(invalid);
    expect(check(request(`${query}&signature=${'z'.repeat(64)}`))).toEqual(invalid);
  });

  it('refuses a timestamp older than recvWindow, or more than a second ahead, with -1021', () => {
    const old = `timestamp=${now - 5001}`;
    expect(check(request(`${old}&signature=${sign(old)}`))).toMatchObject({ code: -1021, msg: expect.stringContaining('recvWindow') as unknown });
    const wide = `timestamp=${now - 5001}&recvWindow=6000`;
    expect(check(request(`${wide}&signature=${sign(wide)}`))).toBe('accepted');
    const ahead = `timestamp=${now + 1001}`;
    expect(check(request(`${ahead}&signature=${sign(ahead)}`))).toMatchObject({ code: -1021, msg: expect.stringContaining('ahead') as unknown });
  });
});

describe('binance answers to malformed requests over HTTP', () => {
  const sim = useSimulator();

  it('answers each with Binance JSON and keeps trading afterwards', async () => {
    const account = createAccount(sim(), 'binance');
    const url = sim().url;
    const now = (): number => sim().clock.now();
    const market = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' };
    const order = (params: Record<string, string>): ReturnType<typeof signedBinanceFetch> =>
      signedBinanceFetch(url, account, 'POST', '/api/v3/order', { ...market, quantity: '0.001', ...params }, now());

    expect(await binanceFetch(url, 'GET', '/api/v3/account')).toMatchObject({ status: 401, json: { code: -2014 } });
    expect(await order({ quantity: 'abc' })).toMatchObject({ status: 400, json: { code: -1100 } });
    expect(await order({ quantity: '' })).toMatchObject({ status: 400, json: { code: -1102 } });
    expect(await order({ side: 'UP' })).toMatchObject({ status: 400, json: { code: -1117 } });
    expect(await order({ type: 'LIMIT' })).toMatchObject({ status: 400, json: { code: -1014 } });
    expect(await order({ newClientOrderId: 'spaces are illegal' })).toMatchObject({ status: 400, json: { code: -1100 } });
    expect(await order({ symbol: '' })).toMatchObject({ status: 400, json: { code: -1102 } });
    expect(await signedBinanceFetch(url, account, 'GET', '/api/v3/order', { symbol: 'BTCUSDT' }, now())).toMatchObject({
      status: 400,
      json: { code: -1102 },
    });
    expect(await signedBinanceFetch(url, account, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 'ten' }, now())).toMatchObject({
      status: 400,
      json: { code: -1100 },
    });
    const futuresOrder = { ...market, quantity: '1', positionSide: 'UP' };
    expect(await signedBinanceFetch(url, account, 'POST', '/fapi/v1/order', futuresOrder, now())).toMatchObject({
      status: 400,
      json: { code: -4060 },
    });
    expect((await binanceFetch(url, 'GET', '/api/v3/nothing-here')).status).toBe(404);
    expect(await binanceFetch(url, 'DELETE', '/api/v3/exchangeInfo')).toMatchObject({ status: 400, json: { code: -1104 } });
    const huge = await binanceFetch(url, 'POST', '/api/v3/order', {
      headers: { 'X-MBX-APIKEY': account.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      body: `symbol=${'A'.repeat(200_000)}`,
    });
    expect(huge).toMatchObject({ status: 400, json: { code: -1104 } });
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toEqual([]);

    const placed = await order({ newClientOrderId: 'after-garbage' });
    expect(placed).toMatchObject({ status: 200, json: { clientOrderId: 'after-garbage', status: 'FILLED', executedQty: '0.00100000' } });
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(1);
  });
});
