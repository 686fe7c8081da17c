import { Decimal } from 'decimal.js';
import type { Market, VenueRequest, VenueResponse } from '../../contract';
import { LOT_SIZE_FAILURE, illegalParameter, missingParameter } from './errors';

/**
 * A request's parameters the way Binance reads them: the query string and a form body together,
 * the query string winning when a name appears in both.
 */
export function readParams(request: VenueRequest): Readonly<Record<string, string>> {
  const body = request.body;
  if (body === undefined || request.rawBody === '') return request.query;
  const merged: Record<string, string> = {};
  for (const name in body) {
    const value = body[name];
    if (typeof value === 'string') merged[name] = value;
  }
  for (const [name, value] of Object.entries(request.query)) merged[name] = value;
  return merged;
}

const DECIMAL = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const INTEGER = /^[0-9]{1,20}$/;

/** A required decimal parameter, or Binance's -1102 (absent) / -1100 (not a plain decimal). */
export function requireDecimal(params: Readonly<Record<string, string>>, name: string): Decimal | VenueResponse {
  const raw = params[name];
  if (raw === undefined || raw === '') return missingParameter(name);
  if (!DECIMAL.test(raw)) return illegalParameter(name, DECIMAL_RANGE);
  return new Decimal(raw);
}

/**
 * An order quantity: a plain positive decimal. Zero passes the syntax check and fails the lot filter,
 * as on Binance.
 */
export function requireQuantity(params: Readonly<Record<string, string>>, name: string): Decimal | VenueResponse {
  const quantity = requireDecimal(params, name);
  return isAnswer(quantity) || quantity.gt(0) ? quantity : LOT_SIZE_FAILURE;
}

/** A required non-negative integer parameter, answered like `requireDecimal`. */
export function requireInteger(params: Readonly<Record<string, string>>, name: string): number | VenueResponse {
  const raw = params[name];
  if (raw === undefined || raw === '') return missingParameter(name);
  if (!INTEGER.test(raw)) return illegalParameter(name, '^[0-9]{1,20}$');
  return Number(raw);
}

export function requireString(params: Readonly<Record<string, string>>, name: string): string | VenueResponse {
  const raw = params[name];
  return raw === undefined || raw === '' ? missingParameter(name) : raw;
}

/**
 * Client order id patterns, as each market's answer names them: spot allows letters, digits, `-`
 * and `_`; USDⓈ-M also `.`, `:` and `/`. Both at most 36 characters.
 */
const CLIENT_ORDER_ID: Readonly<Record<Market, { readonly pattern: RegExp; readonly legalRange: string }>> = {
  spot: { pattern: /^[a-zA-Z0-9-_]{1,36}$/, legalRange: '^[a-zA-Z0-9-_]{1,36}$' },
  futures: { pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/, legalRange: '^[\\.A-Z\\:/a-z0-9_-]{1,36}$' },
};

/** `newClientOrderId` when sent; Binance's -1100 when it breaks the market's pattern. */
export function optionalClientOrderId(params: Readonly<Record<string, string>>, name: string, market: Market): string | undefined | VenueResponse {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const { pattern, legalRange } = CLIENT_ORDER_ID[market];
  if (!pattern.test(raw)) return illegalParameter(name, legalRange);
  return raw;
}

/** Binance's booleans travel as the strings `true` / `false`, case-insensitively. */
export function optionalBoolean(params: Readonly<Record<string, string>>, name: string): boolean | undefined | VenueResponse {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return illegalParameter(name, '^(true|false)$');
}

export function isAnswer(value: unknown): value is VenueResponse {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}
