import { describe, expect, it } from 'vitest';
import type { Account, RateLimitBudgets, VenueContext, VenueRequest } from '../../contract';
import { SimEngine } from '../../engine';
import { createManualClock, type ManualClock } from '../../engine-clock';
import { bybitVenue } from './venue';
import { createBybitOrderRoutes } from './order-routes';
import { bybitMarketRoutes } from './market-routes';
import { createBybitRateLimiter, type BybitRoute } from './rate-limit';

const START = 1_750_000_000_000;
const [CREATE, REALTIME] = createBybitOrderRoutes() as [BybitRoute, BybitRoute, ...BybitRoute[]];

function setup(budgets: RateLimitBudgets): { clock: ManualClock; engine: SimEngine; limit: ReturnType<typeof createBybitRateLimiter> } {
  const clock = createManualClock(START);
  return { clock, engine: new SimEngine({ venues: [bybitVenue], clock }), limit: createBybitRateLimiter(budgets) };
}

function ctxFor(engine: SimEngine, account: Account | undefined, category = 'linear'): VenueContext {
  const request: VenueRequest = { method: 'POST', path: '/v5/order/create', rawQuery: '', query: {}, rawBody: '', body: { category }, headers: {}, ip: '127.0.0.1' };
  return { request, engine, account };
}

describe('Bybit per-UID rate limits', () => {
  it('counts order placements per UID per second and refuses the one over budget with 10006 and a Retry-After', () => {
    const { clock, engine, limit } = setup({ bybitOrdersPerSecond: 2 });
    const account = engine.createAccount({ venue: 'bybit' });
    clock.advance(250);
    const first = limit(ctxFor(engine, account), CREATE);
    expect(first.headers).toEqual({ 'X-Bapi-Limit': '2', 'X-Bapi-Limit-Status': '1', 'X-Bapi-Limit-Reset-Timestamp': String(START + 1000) });
    expect(limit(ctxFor(engine, account), CREATE).refusal).toBeUndefined();
    const third = limit(ctxFor(engine, account), CREATE);
    expect(third.refusal?.status).toBe(429);
    expect(third.refusal?.body).toMatchObject({ retCode: 10006 });
    expect(third.refusal?.headers).toMatchObject({ 'Retry-After': '1', 'X-Bapi-Limit-Status': '0' });
    clock.advance(750);
    expect(limit(ctxFor(engine, account), CREATE).refusal).toBeUndefined();
  });

  it('scopes the budget to the UID and the endpoint', () => {
    const { engine, limit } = setup({ bybitOrdersPerSecond: 1 });
    const first = engine.createAccount({ venue: 'bybit' });
    const second = engine.createAccount({ venue: 'bybit' });
    expect(limit(ctxFor(engine, first), CREATE).refusal).toBeUndefined();
    expect(limit(ctxFor(engine, first), CREATE).refusal).toBeDefined();
    expect(limit(ctxFor(engine, second), CREATE).refusal).toBeUndefined();
    const query = limit(ctxFor(engine, first), REALTIME);
    expect(query.refusal).toBeUndefined();
    expect(query.headers['X-Bapi-Limit']).toBe('50');
  });

  it("defaults to Bybit's own order budgets: 10/s on perpetuals, 20/s on spot", () => {
    const { engine, limit } = setup({});
    const account = engine.createAccount({ venue: 'bybit' });
    expect(limit(ctxFor(engine, account, 'linear'), CREATE).headers['X-Bapi-Limit']).toBe('10');
    expect(limit(ctxFor(engine, account, 'spot'), CREATE).headers['X-Bapi-Limit']).toBe('20');
  });

  it('leaves public market data uncounted', () => {
    const { engine, limit } = setup({ bybitOrdersPerSecond: 1 });
    for (const route of bybitMarketRoutes) {
      for (let i = 0; i < 5; i++) expect(limit(ctxFor(engine, undefined), route)).toEqual({ headers: {} });
    }
  });
});
