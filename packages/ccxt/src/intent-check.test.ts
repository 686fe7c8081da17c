import { Decimal, OrderResult } from '@xport/core';
import type { Order } from 'ccxt';
import { describe, expect, it } from 'vitest';

import { foundOrderMismatches, reportedOrder } from './intent-check';

const order = (fields: Partial<Order>): Order => ({ id: '1', symbol: 'BTC/USDT', side: 'buy', amount: 0.01, ...fields }) as Order;
const expected = { ccxtSymbol: 'BTC/USDT', side: 'buy', reduceOnly: false, quantity: new Decimal('0.01') } as const;

describe('foundOrderMismatches', () => {
  it('finds nothing against the order asked for, and ignores what the venue leaves out', () => {
    expect(foundOrderMismatches(order({}), expected)).toEqual([]);
    expect(foundOrderMismatches(order({ amount: undefined, side: undefined }), expected)).toEqual([]);
  });

  it.each<[string, Partial<Order>, string[]]>([
    ['another side', { side: 'sell' }, ['side']],
    ['another symbol', { symbol: 'ETH/USDT' }, ['symbol']],
    ['the perpetual rather than spot', { symbol: 'BTC/USDT:USDT' }, ['symbol']],
    ['another quantity', { amount: 0.02 }, ['quantity']],
    ['a reduce-only order for an opening intent', { reduceOnly: true }, ['reduceOnly']],
  ])('names %s', (_label, fields, mismatches) => {
    expect(foundOrderMismatches(order(fields), expected)).toEqual(mismatches);
  });

  it('leaves the quantity alone when it cannot be compared (a quote-sized buy, a close)', () => {
    expect(foundOrderMismatches(order({ amount: 650 }), { ...expected, quantity: undefined })).toEqual([]);
  });

  it('does not hold a not-reduce-only report against a close (Binance hedge mode)', () => {
    expect(foundOrderMismatches(order({ reduceOnly: false, side: 'sell', symbol: 'BTC/USDT:USDT' }), { ccxtSymbol: 'BTC/USDT:USDT', side: 'sell', reduceOnly: true, quantity: undefined })).toEqual([]);
  });
});

describe('reportedOrder', () => {
  it('says the venue\'s symbol, market and side rather than the intent\'s', () => {
    const read = new OrderResult({
      exchange: 'binance', orderId: '1', clientOrderId: 'c1', symbol: 'ETH/USDT', marketType: 'spot', side: 'sell',
      status: 'filled', requestedQuantity: new Decimal('0.01'), filledQuantity: new Decimal('0.01'), averagePrice: new Decimal('60000'), timestamp: 1,
    });
    expect(reportedOrder(order({ symbol: 'BTC/USDT:USDT' }), read)).toMatchObject({ symbol: 'BTC/USDT', marketType: 'futures', side: 'buy' });
  });
});
