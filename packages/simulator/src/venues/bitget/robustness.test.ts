import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../contract';
import { createAccount, useSimulator } from '../../test-support';
import { bitgetPrehash } from './auth';
import { bitgetClient } from '../../test-support/bitget-venue';
import { hmacSha256Base64 } from '../shared/hmac';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Every answer Bitget's API gives is its envelope with a string code. */
function expectEnvelope(answer: Answer): string {
  expect(answer.body).toMatchObject({ code: expect.any(String) as unknown, msg: expect.any(String) as unknown });
  return (answer.body as { code: string }).code;
}

describe('bitget under malformed input', () => {
  const sim = useSimulator({ budgets: { bitgetRequestsPerSecond: 1_000_000 } });

  async function send(method: string, path: string, init: { query?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const url = `${sim().url}/bitget${path}${init.query ? `?${init.query}` : ''}`;
    const response = await fetch(url, { method, headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // left as text: the assertion on the envelope reports it
    }
    return { status: response.status, body };
  }

  /** Signs exactly the bytes sent, as a correct client would, so the garbage reaches the route. */
  function signedHeaders(account: Account, method: string, path: string, query: string, body: string): Record<string, string> {
    const timestamp = String(Date.now());
    return {
      'ACCESS-KEY': account.apiKey,
      'ACCESS-SIGN': hmacSha256Base64(account.secret, bitgetPrehash(timestamp, method, path, query, body)),
      'ACCESS-TIMESTAMP': timestamp,
      'ACCESS-PASSPHRASE': account.passphrase ?? '',
      'Content-Type': 'application/json',
    };
  }

  it('answers unknown paths, wrong methods, missing credentials, bad JSON and huge bodies with Bitget codes', async () => {
    const account = createAccount(sim(), 'bitget');
    const notFound = await send('GET', '/api/v2/nowhere');
    expect([notFound.status, expectEnvelope(notFound)]).toEqual([404, '40404']);
    const wrongMethod = await send('DELETE', '/api/v2/mix/order/place-order');
    expect([wrongMethod.status, expectEnvelope(wrongMethod)]).toEqual([400, '40017']);
    const anonymous = await send('GET', '/api/v2/spot/account/assets');
    expect([anonymous.status, expectEnvelope(anonymous)]).toEqual([400, '40001']);
    const badJson = '{"symbol":"BTCUSDT",';
    const unparseable = await send('POST', '/api/v2/mix/order/place-order', {
      body: badJson,
      headers: signedHeaders(account, 'POST', '/api/v2/mix/order/place-order', '', badJson),
    });
    expect([unparseable.status, expectEnvelope(unparseable)]).toEqual([400, '40017']);
    const huge = `{"symbol":"${'X'.repeat(100_000)}"}`;
    const tooLarge = await send('POST', '/api/v2/spot/trade/place-order', {
      body: huge,
      headers: signedHeaders(account, 'POST', '/api/v2/spot/trade/place-order', '', huge),
    });
    expect([tooLarge.status, expectEnvelope(tooLarge)]).toEqual([400, '40017']);
  });

  it('signed garbage parameters on every private route get an envelope, never a 5xx, and nothing half-executes', async () => {
    const account = createAccount(sim(), 'bitget');
    const privateRoutes = [
      ['POST', '/api/v2/mix/order/place-order'],
      ['POST', '/api/v2/spot/trade/place-order'],
      ['POST', '/api/v2/mix/account/set-leverage'],
      ['POST', '/api/v2/mix/account/set-position-mode'],
      ['GET', '/api/v2/mix/order/detail'],
      ['GET', '/api/v2/spot/trade/orderInfo'],
      ['GET', '/api/v2/mix/position/single-position'],
      ['GET', '/api/v2/mix/account/account'],
    ] as const;
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('BTCUSDT', 'USDT-FUTURES', 'USDT', 'crossed', 'buy', 'sell', 'market', 'open', 'close', 'YES', '0.01', '-1', '1e3', 'NaN'),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    const keys = fc.constantFrom('symbol', 'productType', 'marginCoin', 'marginMode', 'side', 'orderType', 'size', 'tradeSide', 'reduceOnly', 'clientOid', 'orderId', 'leverage', 'holdSide', 'posMode', 'junk');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...privateRoutes), fc.dictionary(keys, value, { maxKeys: 9 }), async ([method, path], params) => {
        let query = '';
        let body = '';
        if (method === 'GET') {
          query = new URLSearchParams(Object.entries(params).map(([key, item]): [string, string] => [key, String(item)])).toString();
        } else {
          body = JSON.stringify(params);
        }
        const headers = signedHeaders(account, method, path, query, body);
        const answer = await send(method, path, method === 'GET' ? { query, headers } : { body, headers });
        expect(answer.status).toBeLessThan(500);
        const code = expectEnvelope(answer);
        expect(code).toMatch(/^(00000|\d{5})$/);
      }),
      { seed: 42, numRuns: 250 },
    );

    // Every order the garbage did place is a whole, consistent ledger entry.
    for (const order of sim().ledger.orders({ apiKey: account.apiKey })) {
      expect(order.status).toBe('filled');
      expect(order.quantity.gt(0)).toBe(true);
    }
    const client = await bitgetClient(sim(), createAccount(sim(), 'bitget'));
    await expect(client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01)).resolves.toHaveProperty('id');
  });
});
