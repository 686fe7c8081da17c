import type { PositionMode, PositionSide } from '@xport/core';

/** Bybit's `positionIdx`: 0 is one-way mode's single position, 1 the hedge-mode long leg, 2 the short leg. */
export type PositionIdx = 0 | 1 | 2;

/** The leg an order opens or closes. Hedge mode without a side is a caller bug, not a guess. */
export function positionIdxFor(mode: PositionMode, side: PositionSide | undefined): PositionIdx {
  if (mode === 'oneway') return 0;
  if (side === undefined) throw new TypeError('a hedge-mode order needs the position side');
  return side === 'long' ? 1 : 2;
}

/**
 * The position mode, from the `positionIdx` of the entries `/v5/position/list?symbol=…` answers. Asked
 * by symbol, Bybit lists every leg of the current mode, open or not: one entry with 0 in one-way mode,
 * two entries with 1 and 2 in hedge mode. An empty list is read as one-way, Bybit's default.
 */
export function positionModeOf(positionIdxs: readonly unknown[]): PositionMode {
  return positionIdxs.some((idx) => idx === 1 || idx === 2 || idx === '1' || idx === '2') ? 'hedge' : 'oneway';
}
