import { SymbolNotFoundError } from '@xport/core';
import type { MarketType, SymbolInfo } from '@xport/core';

import type { CcxtExchange as Exchange, CcxtMarket as Market } from './ccxt-types';
import { contractSizeOf } from './contract-size';
import { toSymbolInfo } from './to-domain';
import type { VenueProfile } from './venue-profile';
import type { VenueRuntime } from './venue-runtime';

/**
 * The SymbolInfo of each market, built once per loaded market set. A venue runtime's market load is
 * shared by reference with every adapter of the venue (and replaced whole on reload), so keying the
 * cache on that object gives one SymbolInfo per venue runtime and market until the next load.
 */
const built = new WeakMap<object, Map<string, SymbolInfo>>();

/** The ccxt market of a unified symbol (`BTC/USDT`) on spot or on its USDT perpetual. */
export function findMarket(exchange: Exchange, unified: string, market: MarketType, operation: string, exchangeName: string): Market {
  const [base, quote] = unified.split('/') as [string, string];
  const ccxtSymbol = market === 'spot' ? unified : `${unified}:${quote}`;
  const found = (exchange.markets as Record<string, Market | undefined> | undefined)?.[ccxtSymbol];
  if (found === undefined || (market === 'futures' && found.swap !== true)) {
    throw new SymbolNotFoundError(`${exchangeName} lists no ${market} market ${base}/${quote}`, { exchange: exchangeName, operation, symbol: unified });
  }
  return found;
}

/**
 * The market's trading rules: the one SymbolInfo for it while the loaded markets last, so what
 * `getSymbolInfo` gave the caller is the instance an order is checked against (and a quantity that
 * instance already prepared is not prepared again: see `SymbolInfo.prepareQuantity`).
 */
export function symbolInfoOf(exchange: Exchange, market: Market, marketType: MarketType, runtime: VenueRuntime, profile: VenueProfile): SymbolInfo {
  const markets = exchange.markets as object | undefined;
  const build = (): SymbolInfo =>
    toSymbolInfo(market, profile.id, marketType, runtime.maxLeverage(market.symbol), profile.maxMarketOrderQuantity?.(market), contractSizeOf(market, profile.id));
  if (markets === undefined) return build();
  let cache = built.get(markets);
  if (cache === undefined) {
    cache = new Map();
    built.set(markets, cache);
  }
  const key = `${marketType}|${market.symbol}`;
  let info = cache.get(key);
  if (info === undefined) {
    info = build();
    cache.set(key, info);
  }
  return info;
}
