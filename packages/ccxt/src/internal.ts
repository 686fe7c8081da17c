/**
 * `@xport/ccxt/internal`: what the venue packages (`@xport/binance`, `@xport/bybit`,
 * `@xport/bitget`, and a new venue's package) build their profile and descriptor with. Not for
 * apps: an app imports a venue package, or `@xport/ccxt`'s main entry. Semver covers it like the
 * main entry, but it grows and shrinks with what the venue packages need.
 *
 * @packageDocumentation
 */
export type { CcxtExchangeClass, ExchangeFlavour, LoadedExchangeClass } from './load-exchange-class';
export { exchangeModulePath, loadExchangeClass } from './load-exchange-class';
export { rewriteHosts } from './rewrite-hosts';
export { malformedAnswer } from './to-domain';
export { ccxtErrorNames } from './translate-error';
export { venueDescriptor } from './venue-descriptor';
