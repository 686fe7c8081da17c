import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { VenueRequest, VenueResponse } from '../../contract';
import { SimEngine } from '../../engine';
import { createManualClock } from '../../engine-clock';
import { createAccount, useSimulator } from '../../test-support';
import { bybitVenue } from './venue';
import { authenticateBybit } from './auth';
import { bybitClient, expectCcxtError } from '../../test-support/bybit-venue';
import { hmacSha256Hex } from '../shared/hmac';

const NOW = 1_750_000_000_000;
const KEY = 'XsimBybitKey000001';
const SECRET = 'XsimBybitSecret000000000000000000001';

function engineWithAccount(): SimEngine {
  const engine = new SimEngine({ venues: [bybitVenue], clock: createManualClock(NOW) });
  engine.createAccount({ venue: 'bybit', apiKey: KEY, secret: SECRET });
  return engine;
}

interface Signed {
  method?: 'GET' | 'POST';
  rawQuery?: string;
  rawBody?: string;
  timestamp?: number;
  recvWindow?: string | undefined;
  apiKey?: string;
  secret?: string;
  /** Replaces the computed signature. */
  sign?: string;
}

/** A request signed the way ccxt's bybit.sign() signs v5 private calls. */
function signedRequest(options: Signed = {}): VenueRequest {
  const method = options.method ?? 'GET';
  const rawQuery = options.rawQuery ?? '';
  const rawBody = options.rawBody ?? '';
  const timestamp = String(options.timestamp ?? NOW);
  const apiKey = options.apiKey ?? KEY;
  const recvWindow = 'recvWindow' in options ? options.recvWindow : '5000';
  const payload = timestamp + apiKey + (recvWindow ?? '') + (method === 'GET' ? rawQuery : rawBody);
  return {
    method,
    path: method === 'GET' ? '/v5/account/wallet-balance' : '/v5/order/create',
    rawQuery,
    query: Object.fromEntries(new URLSearchParams(rawQuery)),
    rawBody,
    body: rawBody === '' ? {} : (JSON.parse(rawBody) as Record<string, unknown>),
    headers: {
      'x-bapi-api-key': apiKey,
      'x-bapi-timestamp': timestamp,
      'x-bapi-sign': options.sign ?? hmacSha256Hex(options.secret ?? SECRET, payload),
      ...(recvWindow === undefined ? {} : { 'x-bapi-recv-window': recvWindow }),
    },
    ip: '127.0.0.1',
  };
}

function retCodeOf(result: unknown): number | undefined {
  const response = result as VenueResponse;
  return (response.body as { retCode?: number } | undefined)?.retCode;
}

describe('authenticateBybit', () => {
  it('accepts a GET signed over the raw query string and returns the account', () => {
    const engine = engineWithAccount();
    const result = authenticateBybit(signedRequest({ rawQuery: 'accountType=UNIFIED&coin=USDT' }), engine);
    expect(result).toMatchObject({ apiKey: KEY, venue: 'bybit' });
  });

  it('accepts a POST signed over the raw body bytes', () => {
    const engine = engineWithAccount();
    const rawBody = '{"symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"0.01","category":"linear"}';
    expect(authenticateBybit(signedRequest({ method: 'POST', rawBody }), engine)).toMatchObject({ apiKey: KEY });
  });

  it('refuses a body whose bytes differ from what was signed, even when it means the same', () => {
    const engine = engineWithAccount();
    const signed = signedRequest({ method: 'POST', rawBody: '{"qty":"0.01","symbol":"BTCUSDT"}' });
    const reordered: VenueRequest = { ...signed, rawBody: '{"symbol":"BTCUSDT","qty":"0.01"}' };
    expect(retCodeOf(authenticateBybit(reordered, engine))).toBe(10004);
  });

  it('signs with an empty recv window when the header is absent and then allows 5 seconds', () => {
    const engine = engineWithAccount();
    expect(authenticateBybit(signedRequest({ recvWindow: undefined, timestamp: NOW - 5000 }), engine)).toMatchObject({ apiKey: KEY });
    expect(retCodeOf(authenticateBybit(signedRequest({ recvWindow: undefined, timestamp: NOW - 5001 }), engine))).toBe(10002);
  });

  it.each([
    ['at the back edge of the window', NOW - 5000, undefined],
    ['a little ahead of the server', NOW + 999, undefined],
    ['one millisecond too old', NOW - 5001, 10002],
    ['a full second ahead', NOW + 1000, 10002],
  ])('checks the timestamp %s against the simulator clock', (_label, timestamp, retCode) => {
    const result = authenticateBybit(signedRequest({ timestamp }), engineWithAccount());
    if (retCode === undefined) expect(result).toMatchObject({ apiKey: KEY });
    else expect(retCodeOf(result)).toBe(retCode);
  });

  it('answers 10003 for an unknown key, 10004 for a wrong secret and 10001 "sign params" for missing headers', () => {
    const engine = engineWithAccount();
    expect(retCodeOf(authenticateBybit(signedRequest({ apiKey: 'NoSuchKey' }), engine))).toBe(10003);
    expect(retCodeOf(authenticateBybit(signedRequest({ secret: 'wrong' }), engine))).toBe(10004);
    const unsigned = signedRequest();
    const { 'x-bapi-sign': _dropped, ...headers } = unsigned.headers;
    const missing = authenticateBybit({ ...unsigned, headers }, engine) as VenueResponse;
    expect(missing.body).toMatchObject({ retCode: 10001, retMsg: expect.stringContaining('openapi sign params error!') as unknown });
  });
});

describe('Bybit authentication through ccxt', () => {
  const sim = useSimulator();

  it('raises AuthenticationError for a wrong secret and for an unknown key', async () => {
    const account = createAccount(sim(), 'bybit');
    await expectCcxtError(bybitClient(sim(), { apiKey: account.apiKey, secret: 'not-the-secret' }).fetchBalance(), ccxt.AuthenticationError, 10004);
    await expectCcxtError(bybitClient(sim(), { apiKey: 'UnknownBybitKey123', secret: account.secret }).fetchBalance(), ccxt.AuthenticationError, 10003);
  });

  it('raises InvalidNonce when the clocks drift apart, and works again once ccxt syncs its time', async () => {
    const account = createAccount(sim(), 'bybit');
    sim().clock.skew(-60_000);
    try {
      await expectCcxtError(bybitClient(sim(), account).fetchBalance(), ccxt.InvalidNonce, 10002);
      // loadMarkets() signs its fetchCurrencies call before fetchMarkets syncs the time, so a
      // client with a drifting clock has to sync first.
      const synced = bybitClient(sim(), account, { options: { adjustForTimeDifference: true } });
      await expectCcxtError(synced.loadMarkets(), ccxt.InvalidNonce, 10002);
      await synced.loadTimeDifference();
      // ccxt keeps returning the failed loadMarkets() promise unless asked to reload.
      await synced.loadMarkets(true);
      const balance = await synced.fetchBalance();
      expect(balance.USDT?.total).toBe(20000);
    } finally {
      sim().clock.skew(0);
    }
  });
});
