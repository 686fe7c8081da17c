import { inspect } from 'node:util';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Decimal } from './decimal';
import { IdempotencyConflictError, InvalidOrderError, RetryableError } from './errors';
import {
  describeOrderRequest,
  idempotencyConflict,
  journalOrderRequest,
  orderMismatches,
  parseJournalOrderRequest,
  sameOrderRequest,
} from './journal-order-request';
import type { JournalOrderRequest } from './order-journal';
import { OrderResult } from './order-result';

/** The field named by the InvalidOrderError (or subclass) `build` throws. */
function refusedField(build: () => unknown): string | undefined {
  try {
    build();
  } catch (error) {
    expect(InvalidOrderError.isInstance(error), String(error)).toBe(true);
    return (error as InvalidOrderError).field;
  }
  return expect.fail('expected an InvalidOrderError');
}

const buy = journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTCUSDT', quantity: new Decimal('0.010') });
const long = journalOrderRequest({ operation: 'executeFuturesLong', symbol: 'eth/usdt', quantity: new Decimal('1.5'), leverage: 5 });
const close = journalOrderRequest({ operation: 'closeFuturesPosition', symbol: 'ETHUSDT', positionSide: 'short' });
const reduce = journalOrderRequest({ operation: 'reduceFuturesPosition', symbol: 'ethusdt', positionSide: 'long', quantity: new Decimal('0.50') });

describe('journalOrderRequest', () => {
  it('records each port call with the side, position side and reduce-only the port gives it', () => {
    expect(buy).toEqual({ operation: 'executeSpotBuy', symbol: 'BTC/USDT', market: 'spot', side: 'buy', quantity: '0.01', reduceOnly: false });
    expect(journalOrderRequest({ operation: 'executeSpotSell', symbol: 'BTC/USDT', quantity: new Decimal('2') })).toMatchObject({ side: 'sell', market: 'spot' });
    expect(long).toEqual({ operation: 'executeFuturesLong', symbol: 'ETH/USDT', market: 'futures', side: 'buy', quantity: '1.5', positionSide: 'long', leverage: 5, reduceOnly: false });
    expect(journalOrderRequest({ operation: 'executeFuturesShort', symbol: 'ETHUSDT', quantity: new Decimal('1'), leverage: 3 })).toMatchObject({ side: 'sell', positionSide: 'short' });
    expect(close).toEqual({ operation: 'closeFuturesPosition', symbol: 'ETH/USDT', market: 'futures', side: 'buy', positionSide: 'short', reduceOnly: true });
    expect(reduce).toEqual({ operation: 'reduceFuturesPosition', symbol: 'ETH/USDT', market: 'futures', side: 'sell', quantity: '0.5', positionSide: 'long', reduceOnly: true });
    expect(journalOrderRequest({ operation: 'reduceFuturesPosition', symbol: 'ETHUSDT', positionSide: 'short', quantity: new Decimal('1') })).toMatchObject({ side: 'buy', positionSide: 'short' });
    expect(Object.isFrozen(buy)).toBe(true);
    expect(JSON.parse(JSON.stringify(long))).toEqual(long);
  });

  it('refuses what the port refuses, naming the field', () => {
    const cases: [() => unknown, string][] = [
      [() => journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTCUSDT', quantity: new Decimal(0) }), 'quantity'],
      [() => journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTCUSDT', quantity: '1' as never }), 'quantity'],
      [() => journalOrderRequest({ operation: 'executeFuturesLong', symbol: 'BTCUSDT', quantity: new Decimal(1), leverage: 2.5 }), 'leverage'],
      [() => journalOrderRequest({ operation: 'closeFuturesPosition', symbol: 'BTCUSDT', positionSide: 'both' as never }), 'positionSide'],
      [() => journalOrderRequest({ operation: 'reduceFuturesPosition', symbol: 'BTCUSDT', positionSide: 'both' as never, quantity: new Decimal(1) }), 'positionSide'],
      [() => journalOrderRequest({ operation: 'reduceFuturesPosition', symbol: 'BTCUSDT', positionSide: 'long', quantity: new Decimal(-1) }), 'quantity'],
      [() => journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTC', quantity: new Decimal(1) }), 'symbol'],
      [() => journalOrderRequest({ operation: 'executeSpotBuy', symbol: '', quantity: new Decimal(1) }, 'intent.request'), 'intent.request.symbol'],
      [() => journalOrderRequest({ operation: 'executeMargin', symbol: 'BTCUSDT' } as never), 'operation'],
    ];
    for (const [build, field] of cases) expect(refusedField(build)).toBe(field);
  });
});

describe('parseJournalOrderRequest', () => {
  it('accepts a record read back from JSON and returns it in canonical form', () => {
    expect(parseJournalOrderRequest(JSON.parse(JSON.stringify(long)))).toEqual(long);
    expect(parseJournalOrderRequest({ ...buy, symbol: 'btcusdt', quantity: '0.0100' })).toEqual(buy);
    expect(parseJournalOrderRequest(JSON.parse(JSON.stringify(reduce)))).toEqual(reduce);
  });

  it('refuses a record whose fields contradict its operation', () => {
    const cases: [unknown, string][] = [
      [{ ...buy, side: 'sell' }, 'request.side'],
      [{ ...buy, market: 'futures' }, 'request.market'],
      [{ ...buy, reduceOnly: true }, 'request.reduceOnly'],
      [{ ...buy, leverage: 3 }, 'request.leverage'],
      [{ ...buy, quantity: 0.01 }, 'request.quantity'],
      [{ ...close, quantity: '1' }, 'request.quantity'],
      [{ ...reduce, quantity: undefined }, 'request.quantity'],
      [{ ...reduce, reduceOnly: false }, 'request.reduceOnly'],
      [{ ...reduce, side: 'buy' }, 'request.side'],
      [{ ...long, positionSide: 'short' }, 'request.positionSide'],
      [{ ...long, leverage: undefined }, 'request.leverage'],
      [{ ...buy, operation: 'buy' }, 'request.operation'],
      ['executeSpotBuy', 'request'],
    ];
    for (const [record, field] of cases) expect(refusedField(() => parseJournalOrderRequest(record)), JSON.stringify(record)).toBe(field);
  });
});

describe('sameOrderRequest', () => {
  it('compares by value: symbol form and trailing zeros do not matter, every field does', () => {
    expect(sameOrderRequest(buy, { ...buy, symbol: 'btc/usdt', quantity: '0.0100' })).toBe(true);
    expect(sameOrderRequest(buy, { ...buy, quantity: '0.011' })).toBe(false);
    expect(sameOrderRequest(reduce, { ...reduce, quantity: '0.5000' })).toBe(true);
    expect(sameOrderRequest(reduce, { ...reduce, quantity: '0.6' })).toBe(false);
    expect(sameOrderRequest(buy, { ...buy, operation: 'executeSpotSell', side: 'sell' })).toBe(false);
    expect(sameOrderRequest(long, { ...long, leverage: 6 })).toBe(false);
    expect(sameOrderRequest(long, { ...long, symbol: 'BTC/USDT' })).toBe(false);
    expect(sameOrderRequest(close, { ...close, positionSide: 'long', side: 'sell' })).toBe(false);
    expect(sameOrderRequest(close, { ...close, quantity: '1' })).toBe(false);
  });

  it('is reflexive, symmetric, and agrees with the built records of two calls', () => {
    const call = fc.record({
      operation: fc.constantFrom('executeSpotBuy', 'executeSpotSell', 'executeFuturesLong', 'executeFuturesShort'),
      symbol: fc.constantFrom('BTCUSDT', 'BTC/USDT', 'ETHUSDT'),
      units: fc.integer({ min: 1, max: 10_000 }),
      scale: fc.integer({ min: 0, max: 8 }),
      leverage: fc.integer({ min: 1, max: 3 }),
    });
    const build = (c: { operation: string; symbol: string; units: number; scale: number; leverage: number }): JournalOrderRequest =>
      journalOrderRequest({ operation: c.operation, symbol: c.symbol, quantity: new Decimal(c.units).div(new Decimal(10).pow(c.scale)), leverage: c.leverage } as never);
    fc.assert(
      fc.property(call, call, (a, b) => {
        const [left, right] = [build(a), build(b)];
        expect(sameOrderRequest(left, left)).toBe(true);
        expect(sameOrderRequest(left, right)).toBe(sameOrderRequest(right, left));
        const expected =
          a.operation === b.operation &&
          a.symbol.replace('/', '') === b.symbol.replace('/', '') &&
          new Decimal(a.units).div(new Decimal(10).pow(a.scale)).eq(new Decimal(b.units).div(new Decimal(10).pow(b.scale))) &&
          (a.operation.startsWith('executeSpot') || a.leverage === b.leverage);
        expect(sameOrderRequest(left, right)).toBe(expected);
      }),
    );
  });
});

describe('describeOrderRequest and orderMismatches', () => {
  it('says the order in one line', () => {
    expect(describeOrderRequest(buy)).toBe('executeSpotBuy 0.01 BTC/USDT (spot buy)');
    expect(describeOrderRequest(long)).toBe('executeFuturesLong 1.5 ETH/USDT (futures buy long, 5x)');
    expect(describeOrderRequest(close)).toBe('closeFuturesPosition whole leg ETH/USDT (futures buy short)');
  });

  it('names the fields in which a venue order contradicts the request', () => {
    const order = new OrderResult({
      exchange: 'binance',
      orderId: '1',
      clientOrderId: 'xp-1',
      symbol: 'BTCUSDT',
      marketType: 'spot',
      side: 'buy',
      status: 'filled',
      requestedQuantity: new Decimal('0.01'),
      filledQuantity: new Decimal('0.01'),
      averagePrice: new Decimal('65000'),
      timestamp: 1,
    });
    expect(orderMismatches(order, buy)).toEqual([]);
    expect(orderMismatches(order.toJSON(), buy)).toEqual([]);
    expect(orderMismatches({ ...order.toJSON(), side: 'sell' }, buy)).toEqual(['side']);
    expect(orderMismatches({ ...order.toJSON(), symbol: 'ETH/USDT', marketType: 'futures', positionSide: 'long' }, close)).toEqual(['positionSide']);
    expect(orderMismatches(order, long)).toEqual(['market', 'symbol']);
  });
});

describe('idempotencyConflict', () => {
  const key = { exchange: 'bitget', account: 'follower-7', clientOrderId: 'xp-s1' };

  it('builds a final, secret-free IdempotencyConflictError that says both orders', () => {
    const sell = journalOrderRequest({ operation: 'executeSpotSell', symbol: 'BTCUSDT', quantity: new Decimal('0.01') });
    const error = idempotencyConflict({ key, requested: sell, existing: buy });
    expect(IdempotencyConflictError.isInstance(error)).toBe(true);
    expect(RetryableError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ name: 'IdempotencyConflictError', exchange: 'bitget', clientOrderId: 'xp-s1', account: 'follower-7', operation: 'executeSpotSell', retryable: false, requested: sell, existing: buy });
    expect(error.message).toBe(
      'bitget: client order id xp-s1 (account follower-7) was recorded for executeSpotBuy 0.01 BTC/USDT (spot buy); refusing executeSpotSell 0.01 BTC/USDT (spot sell) under it. Nothing was sent: give the new order its own id.',
    );
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'IdempotencyConflictError', requested: sell, existing: buy, clientOrderId: 'xp-s1' });
    expect(inspect(error)).toContain('xp-s1');
  });

  it('describes an order the venue holds under the id', () => {
    const venueOrder = {
      exchange: 'bitget',
      orderId: '998877',
      clientOrderId: 'xp-s1',
      symbol: 'BTC/USDT',
      marketType: 'spot' as const,
      side: 'buy' as const,
      positionSide: undefined,
      reduceOnly: false,
      status: 'filled' as const,
      requestedQuantity: '0.5',
      filledQuantity: '0.5',
      averagePrice: '65000',
      fee: undefined,
      timestamp: 1,
    };
    expect(idempotencyConflict({ key, requested: long, existing: venueOrder }).message).toContain("names the venue's order 998877: spot buy 0.5 BTC/USDT");
  });
});
