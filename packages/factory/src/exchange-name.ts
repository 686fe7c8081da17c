/** Exchange names are matched case-insensitively and without surrounding blanks: ` Binance ` is `binance`. */
export function normalizeExchangeName(name: string): string {
  return name.trim().toLowerCase();
}

/** What a registered name may look like once normalised: ccxt-style ids such as `binance` or `gate.io`. */
export const EXCHANGE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
