import { Decimal } from 'decimal.js';

/**
 * The price band of a USDT perpetual as `instruments-info` lists it (`riskParameters`): the highest
 * bid is min(max(index, mark × (1 + X)), mark × (1 + Y)), the lowest ask the mirror image.
 */
export const LINEAR_PRICE_LIMIT = { x: new Decimal('0.01'), y: new Decimal('0.02') } as const;

/**
 * The price Bybit gives a perpetual market order, which its engine turns into an IOC limit order at
 * the edge of the price band (the simulator's index price is its mark price). Rounded to the tick
 * inside the band.
 */
export function linearMarketOrderPrice(mark: Decimal, side: 'buy' | 'sell', tick: Decimal): Decimal {
  const index = mark;
  const { x, y } = LINEAR_PRICE_LIMIT;
  const limit =
    side === 'buy'
      ? Decimal.min(Decimal.max(index, mark.times(x.plus(1))), mark.times(y.plus(1)))
      : Decimal.max(Decimal.min(index, mark.times(new Decimal(1).minus(x))), mark.times(new Decimal(1).minus(y)));
  const ticks = limit.div(tick);
  return (side === 'buy' ? ticks.floor() : ticks.ceil()).times(tick);
}
