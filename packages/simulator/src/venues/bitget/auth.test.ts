import { AuthenticationError, InvalidNonce } from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { Account, EngineApi, VenueRequest } from '../../contract';
import { createAccount, useSimulator } from '../../test-support';
import { authenticateBitget, bitgetPrehash, BITGET_TIMESTAMP_WINDOW_MS } from './auth';
import { bitgetClient, credentials, expectCcxtError } from '../../test-support/bitget-venue';
import { hmacSha256Base64 } from '../shared/hmac';

describe('bitget authentication through unmodified ccxt', () => {
  const sim = useSimulator();

  it('accepts ccxt signatures on GET (sorted query) and POST (JSON body)', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await bitgetClient(sim(), account);
    await expect(client.fetchBalance({ type: 'swap' })).resolves.toHaveProperty('USDT');
    await expect(client.setLeverage(10, 'ETH/USDT:USDT')).resolves.toMatchObject({ code: '00000' });
  });

  it('an unknown key is 40006 → AuthenticationError', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await bitgetClient(sim(), credentials(account, { apiKey: 'bg_0000000000000000' }));
    await expectCcxtError(client.fetchBalance(), AuthenticationError, '40006');
  });

  it('a signature under the wrong secret is 40009 → AuthenticationError', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await bitgetClient(sim(), credentials(account, { secret: `${account.secret}x` }));
    await expectCcxtError(client.fetchBalance(), AuthenticationError, '40009');
    await expectCcxtError(client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01), AuthenticationError, '40009');
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });

  it('a wrong passphrase is 40012 → AuthenticationError', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await bitgetClient(sim(), credentials(account, { passphrase: 'not-the-passphrase' }));
    await expectCcxtError(client.fetchBalance(), AuthenticationError, '40012');
  });

  it('a timestamp more than 30 s off the simulator clock is 40008 → InvalidNonce; ccxt time sync recovers', async () => {
    const account = createAccount(sim(), 'bitget');
    sim().clock.skew(BITGET_TIMESTAMP_WINDOW_MS + 15_000);
    try {
      const client = await bitgetClient(sim(), account);
      await expectCcxtError(client.fetchBalance(), InvalidNonce, '40008');

      const synced = await bitgetClient(sim(), account, { options: { adjustForTimeDifference: true } });
      await synced.loadTimeDifference();
      await expect(synced.fetchBalance()).resolves.toHaveProperty('USDT');

      sim().clock.skew(-(BITGET_TIMESTAMP_WINDOW_MS + 15_000));
      await expectCcxtError(client.fetchBalance(), InvalidNonce, '40008');
    } finally {
      sim().clock.skew(0);
    }
  });
});

describe('authenticateBitget', () => {
  const account: Account = { venue: 'bitget', apiKey: 'bg_key', secret: 'sekrit', passphrase: 'phrase', uid: '1', positionMode: 'oneway' };
  const now = 1_800_000_000_000;
  const engine = {
    now: () => now,
    account: (_venue: string, apiKey: string) => (apiKey === account.apiKey ? account : undefined),
  } as unknown as EngineApi;

  function signed(method: string, path: string, query: string, body: string, signQuery = query, extra: Record<string, string> = {}): VenueRequest {
    const timestamp = String(now - 1_000);
    return {
      method,
      path,
      rawQuery: query,
      query: {},
      rawBody: body,
      body: {},
      ip: '127.0.0.1',
      headers: {
        'access-key': account.apiKey,
        'access-sign': hmacSha256Base64(account.secret, bitgetPrehash(timestamp, method, path, signQuery, body)),
        'access-timestamp': timestamp,
        'access-passphrase': 'phrase',
        'content-type': 'application/json',
        ...extra,
      },
    };
  }

  const code = (result: ReturnType<typeof authenticateBitget>): unknown => ('status' in result ? (result.body as { code: string }).code : 'ok');

  it('signs timestamp + method + path + ?query + body, over the bytes received', () => {
    expect(bitgetPrehash('1', 'get', '/api/v2/x', 'a=1&b=2', '')).toBe('1GET/api/v2/x?a=1&b=2');
    expect(code(authenticateBitget(signed('POST', '/api/v2/mix/order/place-order', '', '{"size":"1"}'), engine))).toBe('ok');
    const request = signed('POST', '/api/v2/mix/order/place-order', '', '{"size":"1"}');
    // The same JSON with other whitespace is other bytes: the signature no longer covers it.
    expect(code(authenticateBitget({ ...request, rawBody: '{"size": "1"}' }, engine))).toBe('40009');
  });

  it('accepts the decoded query ccxt signs when the URL carries it percent-encoded', () => {
    const request = signed('GET', '/api/v2/spot/account/assets', 'coin=%E4%B8%AD', '', 'coin=中');
    expect(code(authenticateBitget(request, engine))).toBe('ok');
  });

  it('answers each missing or wrong header with its own code', () => {
    const base = signed('GET', '/api/v2/spot/account/assets', '', '');
    const without = (header: string): VenueRequest => ({ ...base, headers: { ...base.headers, [header]: undefined } });
    expect(code(authenticateBitget(without('access-key'), engine))).toBe('40001');
    expect(code(authenticateBitget(without('access-sign'), engine))).toBe('40002');
    expect(code(authenticateBitget(without('access-timestamp'), engine))).toBe('40005');
    expect(code(authenticateBitget(without('access-passphrase'), engine))).toBe('40011');
    expect(code(authenticateBitget({ ...base, headers: { ...base.headers, 'access-timestamp': 'soon' } }, engine))).toBe('40005');
    const post = signed('POST', '/api/v2/mix/order/place-order', '', '{}', '', { 'content-type': 'text/plain' });
    expect(code(authenticateBitget(post, engine))).toBe('40007');
  });

  it('accepts a timestamp up to 30 s either side of the engine clock', () => {
    const at = (offset: number): VenueRequest => {
      const timestamp = String(now + offset);
      const request = signed('GET', '/api/v2/spot/account/assets', '', '');
      const sign = hmacSha256Base64(account.secret, bitgetPrehash(timestamp, 'GET', request.path, '', ''));
      return { ...request, headers: { ...request.headers, 'access-timestamp': timestamp, 'access-sign': sign } };
    };
    expect(code(authenticateBitget(at(BITGET_TIMESTAMP_WINDOW_MS), engine))).toBe('ok');
    expect(code(authenticateBitget(at(-BITGET_TIMESTAMP_WINDOW_MS), engine))).toBe('ok');
    expect(code(authenticateBitget(at(BITGET_TIMESTAMP_WINDOW_MS + 1), engine))).toBe('40008');
    expect(code(authenticateBitget(at(-BITGET_TIMESTAMP_WINDOW_MS - 1), engine))).toBe('40008');
  });
});
