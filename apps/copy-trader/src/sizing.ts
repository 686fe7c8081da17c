import { Decimal, InvalidOrderError, MAX_SANE_LEVERAGE } from '@xport/core';
import type { SymbolInfo } from '@xport/core';

import type { FollowerConfig } from './followers-config';
import type { OpenSignal, ReduceSignal } from './signals';
import { positionSideOf } from './signals';
import { roundToStep } from './symbol-steps';

/** What sizing a follower's order takes: the signal, the follower's rule and caps, the symbol's rules and the follower's equity. */
export interface SizingInput {
  readonly signal: OpenSignal;
  readonly follower: Pick<FollowerConfig, 'sizing' | 'maxNotional' | 'maxLeverage'>;
  readonly symbolInfo: SymbolInfo;
  /** The follower's equity in USDT; needed by the `equity` rule only. */
  readonly followerEquity?: Decimal | undefined;
  /** Spot sells: what the follower holds of the base asset, which the sell never exceeds. */
  readonly held?: Decimal | undefined;
}

/** An order to place (quantity, notional, leverage), or a skip with its reason. */
export type SizingDecision =
  | { readonly kind: 'order'; readonly quantity: Decimal; readonly notional: Decimal; readonly leverage?: number | undefined }
  | { readonly kind: 'skip'; readonly reason: string };

/** The follower's quantity before caps and rounding. */
export function rawQuantity(input: SizingInput): Decimal {
  const { signal, follower } = input;
  const sizing = follower.sizing;
  if (sizing.rule === 'ratio') return signal.quantity.mul(sizing.ratio);
  if (sizing.rule === 'fixedNotional') return sizing.notional.div(signal.price);
  const equity = input.followerEquity ?? new Decimal(0);
  return signal.quantity.mul(equity).div(signal.masterEquity).mul(sizing.multiplier);
}

/** The master's leverage, lowered to the follower's cap and to the symbol's maximum. */
export function cappedLeverage(requested: number, followerMax: number | undefined, symbolMax: number | undefined): number {
  return Math.min(requested, followerMax ?? MAX_SANE_LEVERAGE, symbolMax ?? MAX_SANE_LEVERAGE);
}

/**
 * Sizes one follower's order for an opening signal: rule, then the notional cap (and for spot sells
 * what the follower holds), then the symbol's step, minimum and maximum through
 * `SymbolInfo.prepareQuantity`. A quantity the venue would refuse is a skip with the reason, not a
 * failure: the follower is simply too small for this trade.
 */
export function sizeOrder(input: SizingInput): SizingDecision {
  const { signal, follower, symbolInfo } = input;
  if (follower.sizing.rule === 'equity' && (input.followerEquity === undefined || input.followerEquity.lte(0))) {
    return { kind: 'skip', reason: 'no USDT equity to size from' };
  }
  let quantity = rawQuantity(input);
  if (follower.maxNotional !== undefined) quantity = Decimal.min(quantity, follower.maxNotional.div(signal.price));
  if (input.held !== undefined) {
    if (input.held.lte(0)) return { kind: 'skip', reason: `holds no ${symbolInfo.base} to sell` };
    quantity = Decimal.min(quantity, input.held);
  }
  let prepared: Decimal;
  try {
    // Cut down to the step's decimals first (below one step: two significant digits). The floor to
    // the step is the same — the step is a whole number of those decimals, and anything below one
    // step floors to 0 either way — and a refusal then quotes `0.000076`, not `0.000076687116564417177914`.
    prepared = symbolInfo.prepareQuantity(roundToStep(quantity, symbolInfo.quantityStep, Decimal.ROUND_DOWN), signal.price);
  } catch (error) {
    if (InvalidOrderError.isInstance(error)) return { kind: 'skip', reason: error.message };
    throw error;
  }
  const notional = prepared.mul(signal.price);
  if (signal.leverage === undefined) return { kind: 'order', quantity: prepared, notional };
  return { kind: 'order', quantity: prepared, notional, leverage: cappedLeverage(signal.leverage, follower.maxLeverage, symbolInfo.maxLeverage) };
}

/** A follower's share of a master's reduce: a quantity to reduce its leg by, or a skip with its reason. */
export type ReduceDecision = { readonly kind: 'order'; readonly quantity: Decimal } | { readonly kind: 'skip'; readonly reason: string };

/**
 * Division that never rounds up: a share that falls just short of a step must not become that step
 * before the floor (a leg of 0.3 reduced by 0.1 of 0.3 is exactly 0.1, and stays so).
 */
const Truncating = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_DOWN });

/**
 * Sizes one follower's reduce: its own leg (read just before) × `quantity` ÷ `masterPositionBefore`,
 * floored to the symbol's step and checked against its minimum and maximum through
 * `SymbolInfo.prepareQuantity`, as an opening order is. A share that floors below the minimum is a
 * skip with the reason: the follower's leg is too small to reduce by that fraction.
 */
export function sizeReduce(input: { readonly signal: ReduceSignal; readonly leg: Decimal; readonly symbolInfo: SymbolInfo }): ReduceDecision {
  const { signal, leg, symbolInfo } = input;
  const side = positionSideOf(signal);
  if (leg.lte(0)) return { kind: 'skip', reason: `no ${side} position on ${signal.symbol}` };
  const share = new Decimal(new Truncating(leg.toFixed()).mul(signal.quantity.toFixed()).div(signal.masterPositionBefore.toFixed()).toFixed());
  try {
    // Cut to the step's decimals first, as sizeOrder does, so a refusal quotes a short figure.
    return { kind: 'order', quantity: symbolInfo.prepareQuantity(roundToStep(share, symbolInfo.quantityStep, Decimal.ROUND_DOWN)) };
  } catch (error) {
    if (!InvalidOrderError.isInstance(error)) throw error;
    return { kind: 'skip', reason: `${error.message}: ${signal.quantity.toFixed()} of the master's ${signal.masterPositionBefore.toFixed()} applied to the ${side} leg ${leg.toFixed()}` };
  }
}
