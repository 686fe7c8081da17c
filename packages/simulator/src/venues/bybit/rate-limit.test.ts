import { describe, expect, it } from 'vitest';
import type { Account, RateLimitBudgets, VenueContext, VenueRequest } from '../../contract';
import { SimEngine } from '../../engine';
import { createManualClock, type ManualClock } from '../../engine-clock';
import { bybitVenue } from './venue';
import { createBybitOrderRoutes } from './order-routes';
import { bybitMarketRoutes } from './market-routes';
import { ACCESS_TOO_FREQUENT, BybitRateLimiter, IP_BAN_MS, type BybitRoute } from './rate-limit';

const START = 1_750_000_000_000;
const [CREATE, REALTIME] = createBybitOrderRoutes() as [BybitRoute, BybitRoute, ...BybitRoute[]];

function setup(budgets: RateLimitBudgets): { clock: ManualClock; engine: SimEngine; limiter: BybitRateLimiter } {
  const clock = createManualClock(START);
  return { clock, engine: new SimEngine({ venues: [bybitVenue], clock }), limiter: new BybitRateLimiter(budgets) };
}

function ctxFor(engine: SimEngine, account: Account | undefined, category = 'linear'): VenueContext {
  const request: VenueRequest = { method: 'POST', path: '/v5/order/create', rawQuery: '', query: {}, rawBody: '', body: { category }, headers: {}, ip: '127.0.0.1' };
  return { request, engine, account };
}

describe('Bybit per-UID rate limits', () => {
  it('counts order placements per UID over a rolling second and refuses the one over budget with 10006 on HTTP 200, no Retry-After', () => {
    const { clock, engine, limiter } = setup({ bybitOrdersPerSecond: 2 });
    const account = engine.createAccount({ venue: 'bybit' });
    const first = limiter.charge(ctxFor(engine, account), CREATE);
    // Not over budget: the reset timestamp is just the current time.
    expect(first.headers).toEqual({ 'X-Bapi-Limit': '2', 'X-Bapi-Limit-Status': '1', 'X-Bapi-Limit-Reset-Timestamp': String(START) });
    clock.advance(600);
    const second = limiter.charge(ctxFor(engine, account), CREATE);
    expect(second.refusal).toBeUndefined();
    expect(second.headers['X-Bapi-Limit-Status']).toBe('0');
    expect(second.headers['X-Bapi-Limit-Reset-Timestamp']).toBe(String(START + 600));

    clock.advance(300);
    const third = limiter.charge(ctxFor(engine, account), CREATE);
    expect(third.refusal?.status).toBe(200);
    expect(third.refusal?.body).toMatchObject({ retCode: 10006, retMsg: 'Too many visits!', time: START + 900 });
    // Spent: the reset timestamp is when the oldest request leaves the rolling second.
    expect(third.refusal?.headers).toEqual({ 'X-Bapi-Limit': '2', 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(START + 1000) });
    expect(third.refusal?.headers).not.toHaveProperty('Retry-After');

    // A rolling window, not a fixed one: at START + 1000 only the first request has left it.
    clock.advance(100);
    expect(limiter.charge(ctxFor(engine, account), CREATE).refusal).toBeUndefined();
    expect(limiter.charge(ctxFor(engine, account), CREATE).refusal?.headers?.['X-Bapi-Limit-Reset-Timestamp']).toBe(String(START + 1600));
  });

  it('scopes the budget to the UID, the endpoint and, on the order endpoints, the category', () => {
    const { engine, limiter } = setup({ bybitOrdersPerSecond: 1 });
    const first = engine.createAccount({ venue: 'bybit' });
    const second = engine.createAccount({ venue: 'bybit' });
    expect(limiter.charge(ctxFor(engine, first), CREATE).refusal).toBeUndefined();
    expect(limiter.charge(ctxFor(engine, first), CREATE).refusal).toBeDefined();
    expect(limiter.charge(ctxFor(engine, second), CREATE).refusal).toBeUndefined();
    expect(limiter.charge(ctxFor(engine, first, 'spot'), CREATE).refusal).toBeUndefined();
    const query = limiter.charge(ctxFor(engine, first), REALTIME);
    expect(query.refusal).toBeUndefined();
    expect(query.headers['X-Bapi-Limit']).toBe('50');
  });

  it("defaults to Bybit's own order budgets: 10/s on perpetuals, 20/s on spot", () => {
    const { engine, limiter } = setup({});
    const account = engine.createAccount({ venue: 'bybit' });
    expect(limiter.charge(ctxFor(engine, account, 'linear'), CREATE).headers['X-Bapi-Limit']).toBe('10');
    expect(limiter.charge(ctxFor(engine, account, 'spot'), CREATE).headers['X-Bapi-Limit']).toBe('20');
  });

  it('leaves public market data without a UID budget', () => {
    const { engine, limiter } = setup({ bybitOrdersPerSecond: 1 });
    for (const route of bybitMarketRoutes) {
      for (let i = 0; i < 5; i++) expect(limiter.charge(ctxFor(engine, undefined), route)).toEqual({ headers: {} });
    }
  });
});

describe('Bybit IP limit', () => {
  it('admits 600 requests from one address in any 5 s, refuses the next with 403, and bans the address for ten minutes', () => {
    const { clock, limiter } = setup({});
    for (let i = 0; i < 600; i++) {
      expect(limiter.admit('127.0.0.2', START + i)).toBeUndefined();
    }
    clock.advance(4_000);
    expect(limiter.admit('127.0.0.2', START + 4_000)).toBe(ACCESS_TOO_FREQUENT);
    expect(ACCESS_TOO_FREQUENT).toMatchObject({ status: 403, body: 'access too frequent' });
    // Another address has its own budget.
    expect(limiter.admit('127.0.0.3', START + 4_000)).toBeUndefined();
    // The window would have freed long before; the ban holds for ten minutes all the same.
    expect(limiter.admit('127.0.0.2', START + 4_000 + IP_BAN_MS - 1)).toBe(ACCESS_TOO_FREQUENT);
    expect(limiter.admit('127.0.0.2', START + 4_000 + IP_BAN_MS)).toBeUndefined();
  });

  it('counts a rolling 5 s window: a burst across a second boundary is one window', () => {
    const { limiter } = setup({ bybitIpRequestsPer5s: 3 });
    expect(limiter.admit('10.0.0.1', START + 4_900)).toBeUndefined();
    expect(limiter.admit('10.0.0.1', START + 4_950)).toBeUndefined();
    expect(limiter.admit('10.0.0.1', START + 5_000)).toBeUndefined();
    expect(limiter.admit('10.0.0.1', START + 5_050)).toBe(ACCESS_TOO_FREQUENT);
  });

  it('is what the protocol checks first, for every request', () => {
    const protocol = bybitVenue.createProtocol({ budgets: { bybitIpRequestsPer5s: 1 } });
    const request: VenueRequest = { method: 'GET', path: '/nowhere', rawQuery: '', query: {}, rawBody: '', body: {}, headers: {}, ip: '127.0.0.9' };
    expect(protocol.admit?.(request, START)).toBeUndefined();
    expect(protocol.admit?.(request, START + 1)).toBe(ACCESS_TOO_FREQUENT);
  });
});
