import { Decimal } from '@xport/core';
import type { Instrument } from '@xport/simulator';

/** A Decimal of this package's decimal.js copy, whichever copy built the value. */
export function toDecimal(value: { toString(): string } | string | number): Decimal {
  return new Decimal(typeof value === 'string' ? value : value.toString());
}

/** `quantity` rounded down to a multiple of `step`. */
export function floorToStep(quantity: Decimal, step: Decimal): Decimal {
  return quantity.div(step).floor().mul(step);
}

/** `quantity` rounded up to a multiple of `step`. */
export function ceilToStep(quantity: Decimal, step: Decimal): Decimal {
  return quantity.div(step).ceil().mul(step);
}

/** A market order's quantity the venue accepts at `price`, with `notionalMargin` times the minimum notional. */
export function validQuantity(instrument: Instrument, price: Decimal, notionalMargin = 1.5): Decimal {
  const step = toDecimal(instrument.stepSize);
  const byNotional = toDecimal(instrument.minNotional).mul(notionalMargin).div(price);
  return ceilToStep(Decimal.max(toDecimal(instrument.minQty), byNotional, step), step);
}

/**
 * A positive quantity the venue refuses for size alone: one step under the minimum where the minimum
 * is above the step, otherwise half a step (which floors to nothing).
 */
export function belowMinimumQuantity(instrument: Instrument): Decimal {
  const step = toDecimal(instrument.stepSize);
  const minimum = toDecimal(instrument.minQty);
  return minimum.gt(step) ? minimum.minus(step) : step.div(2);
}

/**
 * The largest quantity at or above the minimum quantity, on the step, whose value at `price` is
 * still below the minimum notional; undefined when the minimum quantity already clears it.
 */
export function belowMinimumNotionalQuantity(instrument: Instrument, price: Decimal): Decimal | undefined {
  const step = toDecimal(instrument.stepSize);
  const minNotional = toDecimal(instrument.minNotional);
  let quantity = floorToStep(minNotional.div(price), step);
  if (quantity.mul(price).gte(minNotional)) quantity = quantity.minus(step);
  if (quantity.lt(toDecimal(instrument.minQty)) || quantity.lte(0)) return undefined;
  return quantity;
}
