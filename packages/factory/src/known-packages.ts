/**
 * The venue packages xport ships, by exchange name, so that asking for one that is not registered
 * names the package to install. The factory imports no venue package, so this is the one place it
 * learns their names; the test of the workspace's venue list (packages/venues) fails when it
 * differs from the venue packages' own descriptors. Third-party adapters register descriptors the
 * same way; they are simply not listed here.
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
