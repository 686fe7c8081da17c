import { InvalidOrderError, PositionNotFoundError } from '@xport/core';
import type { Decimal, PositionSide, SymbolInfo } from '@xport/core';

import type { CcxtMarket as Market, CcxtPosition } from './ccxt-types';
import { contractsToBase } from './contract-size';
import { decimalFrom } from './to-domain';

/** What a reduce-only order (a close, or a partial close) sends against one leg. */
export interface ReduceOnlyRequest {
  readonly exchange: string;
  readonly operation: string;
  /** `BASE/QUOTE`, for messages. */
  readonly symbol: string;
  readonly market: Market;
  readonly positionSide: PositionSide;
  /**
   * The caller's quantity, already floored to the step (a partial close), or undefined for the
   * whole leg (a close).
   */
  readonly quantity: Decimal | undefined;
  readonly info: SymbolInfo;
}

/**
 * The open `positionSide` leg on `market` in base asset, from the venue's positions (in either
 * position mode ccxt names a position's side `long` or `short`); undefined when there is none.
 */
export function openLeg(positions: readonly (CcxtPosition & { symbol: string })[], market: Market, positionSide: PositionSide, exchange: string): Decimal | undefined {
  const open = positions.find((position) => position.symbol === market.symbol && position.side === positionSide && (position.contracts ?? 0) > 0);
  return open === undefined ? undefined : contractsToBase(market, decimalFrom(open.contracts, 'contracts', exchange), exchange);
}

/**
 * The quantity a reduce-only order sends, from the venue's positions read just before sending.
 * A close sends the whole leg, floored to the step. A partial close sends the caller's quantity,
 * which may not be larger than the leg: the venues disagree on such an order (one refuses it,
 * another trims it to the leg, the sources do not settle which for each), so it is refused here
 * with `InvalidOrderError` naming `quantity`, before anything is sent. No leg on that side is
 * `PositionNotFoundError` for both.
 */
export function reduceOnlySize(positions: readonly (CcxtPosition & { symbol: string })[], request: ReduceOnlyRequest): Decimal {
  const { exchange, operation, symbol, market, positionSide, quantity, info } = request;
  const held = openLeg(positions, market, positionSide, exchange);
  if (held === undefined) {
    throw new PositionNotFoundError(`${exchange}: no open ${positionSide} position on ${symbol} to ${quantity === undefined ? 'close' : 'reduce'}`, {
      exchange,
      operation,
      symbol,
      positionSide,
    });
  }
  if (quantity !== undefined) {
    if (quantity.gt(held)) {
      throw new InvalidOrderError(
        `${exchange}: quantity ${quantity.toFixed()} is larger than the open ${positionSide} position on ${symbol} (${held.toFixed()}); nothing was sent. ` +
          'closeFuturesPosition flattens the whole leg',
        { exchange, operation, field: 'quantity', expected: `at most the open ${positionSide} position, ${held.toFixed()}` },
      );
    }
    return quantity;
  }
  const size = info.floorQuantity(held);
  if (size.lte(0)) {
    throw new InvalidOrderError(`${exchange}: position size ${size.toFixed()} rounds to zero`, { exchange, field: 'quantity' });
  }
  return size;
}
