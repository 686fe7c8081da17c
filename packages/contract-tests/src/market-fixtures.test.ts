import { Decimal } from '@xport/core';
import type { Instrument } from '@xport/simulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { belowMinimumNotionalQuantity, belowMinimumQuantity, ceilToStep, floorToStep, validQuantity } from './market-fixtures';

function instrument(step: string, minQty: string, minNotional: string): Instrument {
  return {
    venue: 'binance',
    market: 'futures',
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    stepSize: new Decimal(step),
    minQty: new Decimal(minQty),
    maxQty: new Decimal('1000000000'),
    tickSize: new Decimal('0.01'),
    minNotional: new Decimal(minNotional),
    maxLeverage: 125,
    takerFeeRate: new Decimal('0.0004'),
    synthetic: false,
  };
}

const isMultiple = (quantity: Decimal, step: Decimal): boolean => quantity.mod(step).isZero();

/** Steps 10^-8 … 10^2, minimum quantities of 1-50 steps, notionals 0-200, prices 10^-5 … 10^5. */
const market = fc.record({
  stepExponent: fc.integer({ min: -8, max: 2 }),
  minSteps: fc.integer({ min: 1, max: 50 }),
  minNotional: fc.integer({ min: 0, max: 200 }),
  priceMantissa: fc.integer({ min: 1, max: 99_999 }),
  priceExponent: fc.integer({ min: -5, max: 1 }),
});

function build(input: { stepExponent: number; minSteps: number; minNotional: number; priceMantissa: number; priceExponent: number }): { spec: Instrument; price: Decimal } {
  const step = new Decimal(10).pow(input.stepExponent);
  const spec = instrument(step.toFixed(), step.mul(input.minSteps).toFixed(), String(input.minNotional));
  return { spec, price: new Decimal(input.priceMantissa).mul(new Decimal(10).pow(input.priceExponent)) };
}

describe('market fixtures', () => {
  it('floors and ceils to the step', () => {
    expect(floorToStep(new Decimal('0.0123456'), new Decimal('0.00001')).toFixed()).toBe('0.01234');
    expect(ceilToStep(new Decimal('0.0123401'), new Decimal('0.00001')).toFixed()).toBe('0.01235');
    expect(ceilToStep(new Decimal('0.003'), new Decimal('0.001')).toFixed()).toBe('0.003');
  });

  it("validQuantity on Binance's BTCUSDT perpetual at 65 000 clears the 100 USDT minimum by half again", () => {
    expect(validQuantity(instrument('0.001', '0.001', '100'), new Decimal(65_000)).toFixed()).toBe('0.003');
  });

  it('validQuantity is on the step, at or above the minimum quantity, and worth at least the minimum notional', () => {
    fc.assert(
      fc.property(market, (input) => {
        const { spec, price } = build(input);
        const quantity = validQuantity(spec, price);
        expect(isMultiple(quantity, spec.stepSize)).toBe(true);
        expect(quantity.gte(spec.minQty)).toBe(true);
        expect(quantity.mul(price).gte(spec.minNotional)).toBe(true);
      }),
    );
  });

  it('belowMinimumQuantity is positive and floors to below the minimum quantity', () => {
    fc.assert(
      fc.property(market, (input) => {
        const { spec } = build(input);
        const quantity = belowMinimumQuantity(spec);
        expect(quantity.gt(0)).toBe(true);
        expect(floorToStep(quantity, spec.stepSize).lt(spec.minQty)).toBe(true);
      }),
    );
  });

  it('belowMinimumNotionalQuantity, when there is one, passes every rule but the notional', () => {
    fc.assert(
      fc.property(market, (input) => {
        const { spec, price } = build(input);
        const quantity = belowMinimumNotionalQuantity(spec, price);
        if (quantity === undefined) {
          // Only when even the minimum quantity clears the notional.
          expect(spec.minQty.mul(price).gte(spec.minNotional)).toBe(true);
          return;
        }
        expect(isMultiple(quantity, spec.stepSize)).toBe(true);
        expect(quantity.gte(spec.minQty)).toBe(true);
        expect(quantity.mul(price).lt(spec.minNotional)).toBe(true);
      }),
    );
  });
});
