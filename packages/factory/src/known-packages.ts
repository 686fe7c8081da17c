/**
 * The venue packages xport ships, by exchange name, so that asking for one that is not registered
 * names the package to install. Third-party adapters register descriptors the same way; they are
 * simply not listed here.
 */
export const KNOWN_PACKAGES: Readonly<Record<string, string>> = Object.freeze({
  binance: '@xport/binance',
  bybit: '@xport/bybit',
  bitget: '@xport/bitget',
});

/** The package that provides `exchange` (already normalised), when xport ships one. */
export function knownPackageOf(exchange: string): string | undefined {
  return Object.hasOwn(KNOWN_PACKAGES, exchange) ? KNOWN_PACKAGES[exchange] : undefined;
}
