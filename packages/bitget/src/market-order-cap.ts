import type { CcxtMarket } from '@xport/ccxt';

/**
 * The largest market order a Bitget contract takes: `maxMarketOrderQty` of its contracts row
 * (`maxOrderQty` is the limit-order cap). ccxt 4.5.84 reads neither, so without this a contract has
 * no maximum and an oversized order would go to the venue to be refused (45112). The profile hands it
 * to @xport/ccxt as `maxMarketOrderQuantity`.
 */
export function marketOrderCap(market: CcxtMarket): number | undefined {
  if (market.swap !== true) return undefined;
  const cap = Number((market.info as { maxMarketOrderQty?: unknown } | undefined)?.maxMarketOrderQty);
  return Number.isFinite(cap) && cap > 0 ? cap : undefined;
}
