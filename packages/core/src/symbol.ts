import { InvalidOrderError } from './errors';

/** A symbol as callers write it, split into its assets. */
export interface ParsedSymbol {
  readonly base: string;
  readonly quote: string;
  /** `BTC/USDT`: the form xport returns in value objects. */
  readonly unified: string;
  /** `BTCUSDT`: the form the three venues use as market id. */
  readonly compact: string;
}

/**
 * Quote assets recognised when a symbol is written without a slash (`BTCUSDT`), longest first so
 * that `FDUSD` wins over `USD`-like suffixes. A slash (`BTC/USDT`) needs no list.
 */
export const KNOWN_QUOTES: readonly string[] = ['FDUSD', 'USDT', 'USDC', 'TUSD', 'BUSD', 'DAI', 'EUR', 'TRY', 'BRL', 'BTC', 'ETH', 'BNB'];

const ASSET = /^[A-Z0-9]{1,20}$/;

function invalid(input: unknown, reason: string): InvalidOrderError {
  const shown = typeof input === 'string' ? JSON.stringify(input) : typeof input;
  return new InvalidOrderError(`symbol ${shown} ${reason}`, {
    field: 'symbol',
    expected: 'a symbol such as "BTCUSDT" or "BTC/USDT"',
  });
}

/**
 * Parses `BTCUSDT`, `btc/usdt` or ccxt's `BTC/USDT:USDT` (the settle suffix is dropped: the port
 * method already says spot or futures). Throws `InvalidOrderError` naming the field otherwise.
 */
export function parseSymbol(input: unknown): ParsedSymbol {
  if (typeof input !== 'string') throw invalid(input, 'is not a string');
  const text = input.trim().toUpperCase();
  if (text === '') throw invalid(input, 'is empty');
  const withoutSettle = text.includes(':') ? text.slice(0, text.indexOf(':')) : text;
  let base: string;
  let quote: string;
  if (withoutSettle.includes('/')) {
    const parts = withoutSettle.split('/');
    if (parts.length !== 2) throw invalid(input, 'has more than one "/"');
    [base, quote] = parts as [string, string];
  } else {
    const known = KNOWN_QUOTES.find((q) => withoutSettle.endsWith(q) && withoutSettle.length > q.length);
    if (known === undefined) throw invalid(input, `does not end in a known quote asset (${KNOWN_QUOTES.join(', ')}); write it as BASE/QUOTE`);
    base = withoutSettle.slice(0, -known.length);
    quote = known;
  }
  if (!ASSET.test(base) || !ASSET.test(quote)) throw invalid(input, 'has an asset that is not 1-20 letters or digits');
  return { base, quote, unified: `${base}/${quote}`, compact: `${base}${quote}` };
}
