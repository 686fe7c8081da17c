import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError, type VenueRequest, type VenueResponse } from '../../contract';
import { SimEngine } from '../../engine';
import { createManualClock } from '../../engine-clock';
import { bybitVenue } from './venue';
import { hmacSha256Hex } from '../shared/hmac';

const NOW = 1_750_000_000_000;
const KEYS = ['category', 'symbol', 'side', 'orderType', 'qty', 'orderLinkId', 'orderId', 'reduceOnly', 'positionIdx', 'marketUnit',
  'buyLeverage', 'sellLeverage', 'mode', 'coin', 'settleCoin', 'baseCoin', 'accountType', 'limit', 'cursor', 'status'];
const TOKENS = ['spot', 'linear', 'inverse', 'option', 'BTCUSDT', 'DOGEUSDT', 'NOPE', 'Buy', 'Sell', 'Market', 'Limit', '0', '1', '2',
  '3', '-1', '0.01', '1e9', 'NaN', 'true', 'UNIFIED', 'USDT', 'baseCoin', 'quoteCoin', '', ' ', '%00', '999999999999999999999'];

const value = fc.oneof(
  fc.constantFrom(...TOKENS),
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const params = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 });

describe('Bybit routes under garbage parameters', () => {
  it('answer every signed request with the v5 envelope and never throw past the venue', () => {
    const clock = createManualClock(NOW);
    const engine = new SimEngine({ venues: [bybitVenue], clock });
    const account = engine.createAccount({ venue: 'bybit', balances: { USDT: '1000000', BTC: '10' } });
    const protocol = bybitVenue.createProtocol({ budgets: { bybitOrdersPerSecond: 1_000_000 } });

    const send = (request: VenueRequest): VenueResponse => {
      const route = protocol.routes.find((candidate) => candidate.method === request.method && candidate.path === request.path);
      if (!route) throw new Error(`no route ${request.path}`);
      const auth = route.signed ? protocol.authenticate(request, engine) : undefined;
      if (auth && 'status' in auth) return auth;
      const ctx = { request, engine, account: auth };
      const limited = protocol.rateLimit(ctx, route);
      if (limited.refusal) return limited.refusal;
      try {
        return route.handle(ctx);
      } catch (error) {
        // The server turns an EngineError into the venue's answer; anything else would be a bug.
        if (error instanceof EngineError) return protocol.engineError(error, route);
        throw error;
      }
    };

    const signed = (method: string, path: string, raw: Record<string, unknown>): VenueRequest => {
      const rawBody = method === 'POST' ? JSON.stringify(raw) : '';
      const rawQuery = method === 'GET' ? new URLSearchParams(Object.entries(raw).map(([key, v]): [string, string] => [key, typeof v === 'string' ? v : JSON.stringify(v)])).toString() : '';
      const timestamp = String(engine.now());
      const sign = hmacSha256Hex(account.secret, timestamp + account.apiKey + '5000' + (method === 'GET' ? rawQuery : rawBody));
      return {
        method,
        path,
        rawQuery,
        query: Object.fromEntries(new URLSearchParams(rawQuery)),
        rawBody,
        body: method === 'POST' ? raw : {},
        headers: { 'x-bapi-api-key': account.apiKey, 'x-bapi-timestamp': timestamp, 'x-bapi-recv-window': '5000', 'x-bapi-sign': sign },
        ip: '127.0.0.1',
      };
    };

    fc.assert(
      fc.property(fc.constantFrom(...protocol.routes), params, (route, raw) => {
        // A fresh rate-limit window each time, so the garbage reaches the handlers.
        clock.advance(1000);
        const response = send(signed(route.method, route.path, raw));
        expect(response.status).toBeLessThan(500);
        expect(response.body).toMatchObject({ retCode: expect.any(Number) as unknown, retMsg: expect.any(String) as unknown });
      }),
      { seed: 42, numRuns: 1500 },
    );

    // ...and still trades afterwards.
    const order = send(signed('POST', '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.01', positionIdx: 0 }));
    expect(order.body).toMatchObject({ retCode: 0 });
  });
});
