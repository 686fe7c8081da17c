import type { AccountEventFacts } from '@xport/ccxt';
import type { MarketType, PositionSide } from '@xport/core';

/**
 * A hedge-mode leg from a fill's `side` and `tradeSide`: opening buys and closing sells are the
 * long leg, opening sells and closing buys the short one.
 */
function legOf(side: unknown, tradeSide: unknown): PositionSide | undefined {
  if (tradeSide === 'open') return side === 'buy' ? 'long' : side === 'sell' ? 'short' : undefined;
  if (tradeSide === 'close') return side === 'sell' ? 'long' : side === 'buy' ? 'short' : undefined;
  return undefined;
}

/**
 * Bitget's `orders` entries carry the client order id in `clientOid`, the leg in `posSide`
 * (`long`, `short`; `net` in one-way mode) and `reduceOnly` (`yes` / `no`). Its `fill` entries
 * (stream channel, `GET /api/v2/mix/order/fills`) carry no client order id; in hedge mode
 * (`posMode: hedge_mode`) `tradeSide` `open` / `close` with the side names the leg, and `close`
 * is a reduce-only fill.
 */
export function bitgetAccountEventFacts(info: unknown, market: MarketType): AccountEventFacts {
  if (typeof info !== 'object' || info === null) return {};
  const { clientOid, posSide, reduceOnly, posMode, tradeSide, side } = info as Readonly<Record<string, unknown>>;
  const clientOrderId = typeof clientOid === 'string' && clientOid !== '' ? clientOid : undefined;
  if (market === 'spot') return { clientOrderId };
  if (posSide === 'long' || posSide === 'short') return { clientOrderId, positionSide: posSide, reduceOnly: reduceOnly === 'yes' ? true : reduceOnly === 'no' ? false : undefined };
  if (posMode === 'hedge_mode') return { clientOrderId, positionSide: legOf(side, tradeSide), reduceOnly: tradeSide === 'close' ? true : tradeSide === 'open' ? false : undefined };
  return { clientOrderId, reduceOnly: reduceOnly === 'yes' ? true : reduceOnly === 'no' ? false : undefined };
}
