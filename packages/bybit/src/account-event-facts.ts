import type { AccountEventFacts } from '@xport/ccxt';
import type { MarketType } from '@xport/core';

/**
 * Bybit's `execution` entries (stream topic and `GET /v5/execution/list`) carry the client order id
 * in `orderLinkId`; its `order` entries also carry the leg in `positionIdx` (1 long, 2 short, 0 the
 * one-way position) and `reduceOnly`. An execution says nothing of the leg or the flag.
 */
export function bybitAccountEventFacts(info: unknown, market: MarketType): AccountEventFacts {
  if (typeof info !== 'object' || info === null) return {};
  const { orderLinkId, positionIdx, reduceOnly } = info as Readonly<Record<string, unknown>>;
  const clientOrderId = typeof orderLinkId === 'string' && orderLinkId !== '' ? orderLinkId : undefined;
  if (market === 'spot') return { clientOrderId };
  const leg = Number(positionIdx);
  const positionSide = leg === 1 ? 'long' : leg === 2 ? 'short' : undefined;
  return { clientOrderId, positionSide, reduceOnly: typeof reduceOnly === 'boolean' ? reduceOnly : undefined };
}
