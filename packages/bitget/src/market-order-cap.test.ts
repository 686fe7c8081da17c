import { describe, expect, it } from 'vitest';

import { marketOrderCap } from './market-order-cap';

type Market = Parameters<typeof marketOrderCap>[0];

const contract = (info: Record<string, unknown>, swap = true): Market =>
  ({ symbol: 'BTC/USDT:USDT', swap, spot: !swap, limits: { amount: { min: 0.0001, max: undefined }, leverage: { min: 1, max: 125 } }, info }) as unknown as Market;

describe('marketOrderCap', () => {
  it.each([
    ['a contract with maxMarketOrderQty', contract({ maxMarketOrderQty: '100', maxOrderQty: '500' }), 100],
    ['a contract without it', contract({ maxOrderQty: '500' }), undefined],
    ['a contract with zero', contract({ maxMarketOrderQty: '0' }), undefined],
    ['a contract with garbage', contract({ maxMarketOrderQty: 'n/a' }), undefined],
    ['a spot pair', contract({ maxMarketOrderQty: '100' }, false), undefined],
  ])('%s → %s', (_name, market, cap) => {
    expect(marketOrderCap(market)).toBe(cap);
  });
});
