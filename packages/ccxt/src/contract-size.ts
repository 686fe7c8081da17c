import { Decimal } from '@xport/core';

import type { CcxtMarket as Market } from './ccxt-types';
import { decimalFrom } from './to-domain';

/**
 * The base quantity of one contract of a market: ccxt's `contractSize`, 1 for spot (and for a
 * contract market that does not say).
 */
export function contractSizeOf(market: Market, exchange: string): Decimal {
  const size: unknown = market.contractSize;
  if (size === undefined || size === null) return new Decimal(1);
  const decimal = decimalFrom(size, 'contractSize', exchange);
  return decimal.gt(0) ? decimal : new Decimal(1);
}

/**
 * A base quantity → the amount ccxt sends for the market: contracts on a contract market (ccxt's
 * `amount` is in contracts there), the base quantity itself on spot. Every order path sends through it.
 */
export function baseToContracts(market: Market, base: Decimal, exchange: string): Decimal {
  return base.div(contractSizeOf(market, exchange));
}

/** The inverse of baseToContracts: a venue's contracts (an order's amount, a position's size) → base quantity. */
export function contractsToBase(market: Market, contracts: Decimal, exchange: string): Decimal {
  return contracts.mul(contractSizeOf(market, exchange));
}
