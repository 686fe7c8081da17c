import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { ClientOrderIdPolicy } from './client-order-ids';
import { EngineError, type EngineErrorCode, type PlaceOrderRequest } from './contract';
import { SimEngine } from './engine';
import { createManualClock } from './engine-clock';
import { fakeVenue } from './test-support/fake-venue';
import type { VenueRules } from './venue-rules';

function setup(policy: ClientOrderIdPolicy, rules: Partial<VenueRules> = {}) {
  const clock = createManualClock(1_700_000_000_000);
  const engine = new SimEngine({ venues: [{ ...fakeVenue('binance'), clientOrderIds: () => policy }], seed: 7, clock, rules });
  const account = engine.createAccount({ venue: 'binance', balances: { USDT: '100000', BTC: '1' }, futuresBalances: { USDT: '100000' } });
  return { engine, clock, account };
}

function order(overrides: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest {
  return { market: 'futures', symbol: 'BTCUSDT', side: 'buy', quantity: new Decimal('0.01'), clientOrderId: 'same', ...overrides };
}

function refusal(run: () => unknown): EngineErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error.code;
    throw error;
  }
  return undefined;
}

describe('client order ids under a venue policy', () => {
  it('reuse "never", one space per account: an id is refused forever, in every market', () => {
    const { engine, account } = setup({ scope: 'account', reuse: 'never' });
    engine.placeOrder(account, order());
    expect(refusal(() => engine.placeOrder(account, order()))).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect(refusal(() => engine.placeOrder(account, order({ market: 'spot' })))).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect(engine.orders()).toHaveLength(1);
  });

  it('reuse "never", one space per market: the id is still free in the other market', () => {
    const { engine, account } = setup({ scope: 'market', reuse: 'never' });
    engine.placeOrder(account, order());
    expect(refusal(() => engine.placeOrder(account, order()))).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect(refusal(() => engine.placeOrder(account, order({ market: 'spot' })))).toBeUndefined();
    expect(engine.orders().map((placed) => placed.market)).toEqual(['futures', 'spot']);
  });

  it('reuse "whenClosed": a filled order frees its id, so the same id places a new order', () => {
    const { engine, account } = setup({ scope: 'market', reuse: 'whenClosed' });
    const first = engine.placeOrder(account, order());
    const second = engine.placeOrder(account, order());
    expect(second.orderId).not.toBe(first.orderId);
    expect(engine.orders().map((placed) => placed.clientOrderId)).toEqual(['same', 'same']);
  });

  it.each([
    ['newest', 1],
    ['oldest', 0],
  ] as const)('a lookup by a shared client id answers the %s order (rule sharedClientOrderIdLookup)', (lookup, index) => {
    const { engine, account, clock } = setup({ scope: 'market', reuse: 'whenClosed' }, { sharedClientOrderIdLookup: lookup });
    const placed = [engine.placeOrder(account, order())];
    clock.advance(1_000);
    placed.push(engine.placeOrder(account, order()));
    expect(engine.findOrder(account, { clientOrderId: 'same', market: 'futures' }).orderId).toBe(placed[index]?.orderId);
  });

  it('a lookup narrows by market, symbol and window before it picks among shared ids', () => {
    const { engine, account, clock } = setup({ scope: 'account', reuse: 'whenClosed' });
    const spot = engine.placeOrder(account, order({ market: 'spot' }));
    clock.advance(10_000);
    const futures = engine.placeOrder(account, order({ symbol: 'ETHUSDT', quantity: new Decimal('0.1') }));
    expect(engine.findOrder(account, { clientOrderId: 'same', market: 'spot' }).orderId).toBe(spot.orderId);
    expect(engine.findOrder(account, { clientOrderId: 'same', symbol: 'ETHUSDT' }).orderId).toBe(futures.orderId);
    expect(refusal(() => engine.findOrder(account, { clientOrderId: 'same', market: 'spot', createdFrom: spot.time + 1 }))).toBe('ORDER_NOT_FOUND');
  });

  it('refuses an unknown rule reading with the name of the rule', () => {
    expect(() => setup({ scope: 'market', reuse: 'never' }, { sharedClientOrderIdLookup: 'middle' as never })).toThrow(
      'rules.sharedClientOrderIdLookup must be one of newest, oldest',
    );
  });
});
