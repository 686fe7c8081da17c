import { Decimal, SymbolInfo } from '@xport/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { SizingRule } from './followers-config';
import type { OpenSignal, ReduceSignal } from './signals';
import { cappedLeverage, rawQuantity, sizeOrder, sizeReduce } from './sizing';

const btcFutures = new SymbolInfo({
  exchange: 'binance',
  symbol: 'BTCUSDT',
  exchangeSymbol: 'BTCUSDT',
  marketType: 'futures',
  quantityStep: new Decimal('0.001'),
  minQuantity: new Decimal('0.001'),
  maxQuantity: new Decimal('1000'),
  priceTick: new Decimal('0.1'),
  minNotional: new Decimal('5'),
  maxLeverage: 125,
});

const long = (quantity: string, price = '65000', leverage = 10, masterEquity = '100000'): OpenSignal => ({
  id: 's1',
  action: 'futuresLong',
  symbol: 'BTCUSDT',
  quantity: new Decimal(quantity),
  price: new Decimal(price),
  masterEquity: new Decimal(masterEquity),
  leverage,
});

const ratio = (value: string): SizingRule => ({ rule: 'ratio', ratio: new Decimal(value) });

describe('sizeOrder', () => {
  it('applies each rule: ratio, fixed notional, equity', () => {
    expect(rawQuantity({ signal: long('0.2'), follower: { sizing: ratio('0.5') }, symbolInfo: btcFutures }).toFixed()).toBe('0.1');
    expect(rawQuantity({ signal: long('0.2'), follower: { sizing: { rule: 'fixedNotional', notional: new Decimal('650') } }, symbolInfo: btcFutures }).toFixed()).toBe('0.01');
    const equity = { sizing: { rule: 'equity', multiplier: new Decimal('1') } } as const;
    expect(rawQuantity({ signal: long('0.2'), follower: equity, symbolInfo: btcFutures, followerEquity: new Decimal('5000') }).toFixed()).toBe('0.01');
  });

  it('rounds down to the step, never up', () => {
    const decision = sizeOrder({ signal: long('0.0999'), follower: { sizing: ratio('1') }, symbolInfo: btcFutures });
    expect(decision).toMatchObject({ kind: 'order', leverage: 10 });
    expect(decision.kind === 'order' && decision.quantity.toFixed()).toBe('0.099');
  });

  it('caps the notional and the leverage', () => {
    const decision = sizeOrder({ signal: long('1', '65000', 50), follower: { sizing: ratio('1'), maxNotional: new Decimal('1000'), maxLeverage: 5 }, symbolInfo: btcFutures });
    expect(decision.kind === 'order' && [decision.quantity.toFixed(), decision.notional.toFixed(), decision.leverage]).toEqual(['0.015', '975', 5]);
    expect(cappedLeverage(150, undefined, 125)).toBe(125);
  });

  it('skips a follower below the minimum with the reason', () => {
    expect(sizeOrder({ signal: long('0.01'), follower: { sizing: ratio('0.01') }, symbolInfo: btcFutures })).toEqual({
      kind: 'skip',
      reason: 'quantity 0.0001 of BTC/USDT is below the minimum 0.001 (step 0.001)',
    });
    const tiny = sizeOrder({ signal: long('0.01', '1000'), follower: { sizing: ratio('0.4') }, symbolInfo: btcFutures });
    expect(tiny).toEqual({ kind: 'skip', reason: 'order value 4 USDT of BTC/USDT is below the minimum notional 5' });
    const noEquity = sizeOrder({ signal: long('1'), follower: { sizing: { rule: 'equity', multiplier: new Decimal(1) } }, symbolInfo: btcFutures });
    expect(noEquity).toEqual({ kind: 'skip', reason: 'no USDT equity to size from' });
  });

  it('never sells more than the follower holds', () => {
    const sell: OpenSignal = { ...long('1'), action: 'spotSell', leverage: undefined };
    const decision = sizeOrder({ signal: sell, follower: { sizing: ratio('1') }, symbolInfo: btcFutures, held: new Decimal('0.0234') });
    expect(decision.kind === 'order' && decision.quantity.toFixed()).toBe('0.023');
    expect(sizeOrder({ signal: sell, follower: { sizing: ratio('1') }, symbolInfo: btcFutures, held: new Decimal(0) })).toEqual({ kind: 'skip', reason: 'holds no BTC to sell' });
  });
});

const decimal = (min: number, max: number, scale: number): fc.Arbitrary<Decimal> =>
  fc.integer({ min: Math.round(min * 10 ** scale), max: Math.round(max * 10 ** scale) }).map((units) => new Decimal(units).div(10 ** scale));

const symbolArbitrary = fc
  .record({ stepExponent: fc.integer({ min: -6, max: 1 }), stepUnits: fc.constantFrom(1, 2, 5), minSteps: fc.integer({ min: 1, max: 5 }), minNotional: decimal(0, 20, 2), maxLeverage: fc.integer({ min: 1, max: 125 }) })
  .map(({ stepExponent, stepUnits, minSteps, minNotional, maxLeverage }) => {
    const step = new Decimal(stepUnits).mul(new Decimal(10).pow(stepExponent));
    return new SymbolInfo({ exchange: 'sim', symbol: 'XUSDT', exchangeSymbol: 'XUSDT', marketType: 'futures', quantityStep: step, minQuantity: step.mul(minSteps), priceTick: new Decimal('0.01'), minNotional, maxLeverage });
  });

const ruleArbitrary: fc.Arbitrary<SizingRule> = fc.oneof(
  decimal(0.001, 10, 3).map((value) => ({ rule: 'ratio', ratio: value }) as const),
  decimal(1, 100_000, 2).map((value) => ({ rule: 'fixedNotional', notional: value }) as const),
  decimal(0.1, 5, 2).map((value) => ({ rule: 'equity', multiplier: value }) as const),
);

describe('sizeOrder properties', () => {
  it('an order is a whole number of steps, within min/max, under every cap, and never above the uncapped quantity', () => {
    fc.assert(
      fc.property(
        symbolArbitrary,
        ruleArbitrary,
        decimal(0.00001, 1000, 5),
        decimal(0.01, 100_000, 2),
        fc.integer({ min: 1, max: 200 }),
        fc.option(decimal(1, 50_000, 2), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
        decimal(1, 1_000_000, 2),
        (symbolInfo, sizing, quantity, price, leverage, maxNotional, maxLeverage, followerEquity) => {
          const signal: OpenSignal = { id: 'p', action: 'futuresLong', symbol: 'XUSDT', quantity, price, masterEquity: new Decimal('100000'), leverage };
          const input = { signal, follower: { sizing, maxNotional, maxLeverage }, symbolInfo, followerEquity };
          const decision = sizeOrder(input);
          if (decision.kind === 'skip') {
            expect(decision.reason).toMatch(/below the minimum/);
            return;
          }
          expect(decision.quantity.mod(symbolInfo.quantityStep).isZero()).toBe(true);
          expect(decision.quantity.gte(symbolInfo.minQuantity)).toBe(true);
          expect(decision.quantity.lte(rawQuantity(input))).toBe(true);
          expect(rawQuantity(input).minus(decision.quantity).lt(symbolInfo.quantityStep) || maxNotional !== undefined).toBe(true);
          expect(decision.notional.gte(symbolInfo.minNotional)).toBe(true);
          if (maxNotional !== undefined) expect(decision.notional.lte(maxNotional)).toBe(true);
          expect(decision.leverage).toBeLessThanOrEqual(Math.min(leverage, maxLeverage ?? 200, symbolInfo.maxLeverage ?? 200));
          expect(decision.leverage).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a skip happens exactly when the floored quantity falls below the minimum quantity or notional', () => {
    fc.assert(
      fc.property(symbolArbitrary, decimal(0.001, 5, 3), decimal(0.00001, 100, 5), decimal(0.01, 100_000, 2), (symbolInfo, ratioValue, quantity, price) => {
        const signal: OpenSignal = { id: 'p', action: 'spotBuy', symbol: 'XUSDT', quantity, price, masterEquity: new Decimal(1) };
        const decision = sizeOrder({ signal, follower: { sizing: { rule: 'ratio', ratio: ratioValue } }, symbolInfo });
        const floored = symbolInfo.floorQuantity(quantity.mul(ratioValue));
        const tooSmall = floored.lte(0) || floored.lt(symbolInfo.minQuantity) || floored.mul(price).lt(symbolInfo.minNotional);
        expect(decision.kind).toBe(tooSmall ? 'skip' : 'order');
      }),
      { numRuns: 500 },
    );
  });
});

describe('sizeReduce', () => {
  const reduceLong = (quantity: string, before: string): ReduceSignal => ({ id: 'r', action: 'reduceLong', symbol: 'BTCUSDT', quantity: new Decimal(quantity), masterPositionBefore: new Decimal(before) });
  const sized = (leg: string, quantity: string, before: string): string => {
    const decision = sizeReduce({ signal: reduceLong(quantity, before), leg: new Decimal(leg), symbolInfo: btcFutures });
    return decision.kind === 'order' ? decision.quantity.toFixed() : `skip: ${decision.reason}`;
  };

  it.each([
    // leg, master closed, master's leg before, follower's reduce
    ['0.3', '0.1', '0.3', '0.1'], // a third, exactly: no 0.0999… floored to 0.099
    ['0.013', '0.5', '1', '0.006'], // 0.0065 floored to the step, never rounded up
    ['0.009', '1', '3', '0.003'],
    ['0.01', '0.2', '0.6', '0.003'], // 0.00333… floored
    ['0.7', '0.35', '0.7', '0.35'],
  ])('a leg of %s reduced by %s of %s is %s', (leg, quantity, before, expected) => {
    expect(sized(leg, quantity, before)).toBe(expected);
  });

  it('a share below the minimum, or no leg, is a skip with the reason', () => {
    expect(sized('0.001', '1', '2')).toBe("skip: quantity 0.0005 of BTC/USDT is below the minimum 0.001 (step 0.001): 1 of the master's 2 applied to the long leg 0.001");
    expect(sized('0', '1', '2')).toBe('skip: no long position on BTCUSDT');
  });

  it('is a whole number of steps, never more than the exact share (property)', () => {
    const steps = (max: number) => fc.integer({ min: 1, max }).map((count) => new Decimal(count).mul('0.001'));
    fc.assert(
      fc.property(steps(100_000), steps(100_000), steps(100_000), (leg, a, b) => {
        const [closed, before] = a.lte(b) ? [a, b] : [b, a];
        const decision = sizeReduce({ signal: reduceLong(closed.toFixed(), before.toFixed()), leg, symbolInfo: btcFutures });
        // Compared without dividing (q ≤ leg × closed ÷ before ⇔ q × before ≤ leg × closed), so the check itself rounds nothing.
        const share = leg.mul(closed);
        if (decision.kind === 'skip') return new Decimal('0.001').mul(before).gt(share);
        const q = decision.quantity;
        return q.mod('0.001').isZero() && q.mul(before).lte(share) && q.plus('0.001').mul(before).gt(share) && q.lte(leg);
      }),
      { numRuns: 500 },
    );
  });
});
