import type { MarketType } from '@xport/core';

/** One REST read of an account's trades: a market, from a time on (inclusive), at most `limit`. */
export interface TradePage {
  readonly symbol: string;
  readonly market: MarketType;
  readonly since: number;
  readonly limit: number;
}

export interface RecoveryPoint {
  /** The newest delivered fill's time on this market, or undefined before the first. */
  readonly lastSeen: number | undefined;
  /** Where the stream started reading (its `since`). */
  readonly start: number;
}

/**
 * The first page gap recovery reads for a market: from the last delivered fill's time, inclusive —
 * fills in the same millisecond may not all have been delivered; the ones that were are dropped
 * by trade id — or from the stream's start before any fill.
 */
export function firstPage(symbol: string, market: MarketType, point: RecoveryPoint, limit: number): TradePage {
  return { symbol, market, since: point.lastSeen ?? point.start, limit };
}

/**
 * The page after `page`, given the timestamps of the trades it returned (oldest first), or
 * undefined when the read is complete: a page shorter than the limit is the last. A full page
 * continues from its newest trade's time (inclusive, so trades sharing that millisecond are not
 * skipped); a full page all in one millisecond cannot advance and ends the read — `stuck` says so.
 */
export function nextPage(page: TradePage, timestamps: readonly number[]): { readonly page: TradePage | undefined; readonly stuck: boolean } {
  if (timestamps.length < page.limit) return { page: undefined, stuck: false };
  const newest = Math.max(...timestamps);
  if (newest <= page.since) return { page: undefined, stuck: true };
  return { page: { ...page, since: newest }, stuck: false };
}

/** Merges fills read over REST with those the stream buffered meanwhile: oldest first, stable for equal times. */
export function inTimeOrder<T extends { readonly timestamp: number }>(fills: readonly T[]): T[] {
  return fills
    .map((fill, index) => ({ fill, index }))
    .sort((a, b) => a.fill.timestamp - b.fill.timestamp || a.index - b.index)
    .map(({ fill }) => fill);
}
