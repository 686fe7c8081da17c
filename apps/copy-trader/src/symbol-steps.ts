import { Decimal, parseSymbol } from '@xport/core';
import type { MarketType, SymbolInfo } from '@xport/core';

/** A symbol's quantity step and price tick: what its quantities and prices are shown to. */
export interface Steps {
  readonly quantityStep: Decimal;
  readonly priceTick: Decimal;
}

/**
 * The steps of every symbol a session sized an order on, per venue and market, so its tables show
 * `0.000076` rather than `0.000076687116564417177914`.
 */
export class SymbolSteps {
  private readonly steps = new Map<string, Steps>();

  remember(exchange: string, info: SymbolInfo): void {
    this.steps.set(`${exchange}:${info.marketType}:${info.symbol}`, { quantityStep: info.quantityStep, priceTick: info.priceTick });
  }

  get(exchange: string, market: MarketType, symbol: string): Steps | undefined {
    return this.steps.get(`${exchange}:${market}:${parseSymbol(symbol).unified}`);
  }
}

/**
 * `value` to as many decimals as `step` has; a value smaller than one step (which would show as 0)
 * keeps two significant digits instead. `rounding` is a decimal.js rounding mode.
 */
export function roundToStep(value: Decimal, step: Decimal, rounding: Decimal.Rounding = Decimal.ROUND_HALF_UP): Decimal {
  if (!value.isZero() && value.abs().lt(step)) return value.toSignificantDigits(2, rounding);
  return value.toDecimalPlaces(step.decimalPlaces(), rounding);
}

/** `value` rounded to `step` for a table (see `roundToStep`), or in full when no step is known. */
export function formatToStep(value: Decimal, step: Decimal | undefined): string {
  return step === undefined ? value.toFixed() : roundToStep(value, step).toFixed();
}
