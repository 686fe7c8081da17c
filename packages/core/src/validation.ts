import type { Decimal } from 'decimal.js';

import { isDecimal } from './decimal';
import { InvalidLeverageError, InvalidOrderError } from './errors';
import type { MarketType, PositionSide } from './types';
import { MARKET_TYPES, POSITION_SIDES } from './types';

/** No venue offers more; anything above is a typo, not a strategy. Per-symbol maxima are lower. */
export const MAX_SANE_LEVERAGE = 200;

const shown = (value: unknown): string =>
  isDecimal(value) ? value.toString() : typeof value === 'string' ? `string ${JSON.stringify(value)}` : String(value);

/**
 * A quantity must be a finite Decimal above zero. Strings and numbers from untyped callers are
 * refused: the port takes Decimals so that nobody's 0.1 + 0.2 becomes an order.
 */
export function assertQuantity(value: unknown, field = 'quantity'): asserts value is Decimal {
  if (!isDecimal(value)) {
    throw new InvalidOrderError(`${field} must be a Decimal (decimal.js), got ${typeof value === 'object' ? 'an object' : shown(value)}`, {
      field,
      expected: 'a positive Decimal',
    });
  }
  if (value.isNaN() || !value.isFinite() || value.lte(0)) {
    throw new InvalidOrderError(`${field} must be a positive finite Decimal, got ${value.toString()}`, {
      field,
      expected: 'a positive Decimal',
    });
  }
}

/** Leverage is a whole number from 1 to MAX_SANE_LEVERAGE (the symbol's maximum is checked later). */
export function assertLeverage(value: unknown, field = 'leverage'): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SANE_LEVERAGE) {
    throw new InvalidLeverageError(`${field} must be a whole number from 1 to ${MAX_SANE_LEVERAGE}, got ${shown(value)}`, {
      field,
      expected: `an integer from 1 to ${MAX_SANE_LEVERAGE}`,
    });
  }
}

export function assertPositionSide(value: unknown, field = 'positionSide'): asserts value is PositionSide {
  if (!POSITION_SIDES.includes(value as PositionSide)) {
    throw new InvalidOrderError(`${field} must be "long" or "short", got ${shown(value)}`, { field, expected: '"long" or "short"' });
  }
}

export function assertMarketType(value: unknown, field = 'market'): asserts value is MarketType {
  if (!MARKET_TYPES.includes(value as MarketType)) {
    throw new InvalidOrderError(`${field} must be "spot" or "futures", got ${shown(value)}`, { field, expected: '"spot" or "futures"' });
  }
}

/**
 * The shape of a client order id, whatever the venue: 1 to 64 letters, digits and `_ - : . # /`.
 * Only the shape: each venue's own rule (Binance and Bybit 36 characters, Bitget's longer ids, the
 * characters each accepts) is its venue profile's, checked after this one, so a venue that takes
 * longer ids than another can use them.
 */
export const CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9_\-:.#/]{1,64}$/;

export function assertClientOrderId(value: unknown, field = 'clientOrderId'): asserts value is string {
  if (typeof value !== 'string' || !CLIENT_ORDER_ID_PATTERN.test(value)) {
    throw new InvalidOrderError(`${field} must be 1-64 characters of letters, digits, "_", "-", ":", ".", "#" or "/", got ${shown(value)}`, {
      field,
      expected: 'a string matching /^[A-Za-z0-9_\\-:.#/]{1,64}$/',
    });
  }
}

/** Asset codes such as `USDT`: 1-20 letters or digits. */
export function assertAsset(value: unknown, field = 'asset'): asserts value is string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9]{1,20}$/.test(value.trim())) {
    throw new InvalidOrderError(`${field} must be an asset code such as "USDT", got ${shown(value)}`, { field, expected: '1-20 letters or digits' });
  }
}

/** Checks the per-call options every port method takes; unknown keys are left alone. */
export function assertCallOptions(value: unknown, field = 'options'): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null) {
    throw new InvalidOrderError(`${field} must be an object, got ${shown(value)}`, { field, expected: 'an object or undefined' });
  }
  const { signal, clientOrderId, idempotencyKey } = value as Record<string, unknown>;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal && 'addEventListener' in signal)) {
    throw new InvalidOrderError(`${field}.signal must be an AbortSignal`, { field: `${field}.signal`, expected: 'an AbortSignal' });
  }
  if (clientOrderId !== undefined) assertClientOrderId(clientOrderId, `${field}.clientOrderId`);
  if (idempotencyKey !== undefined && (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0 || idempotencyKey.length > 256)) {
    throw new InvalidOrderError(`${field}.idempotencyKey must be a non-empty string of at most 256 characters`, {
      field: `${field}.idempotencyKey`,
      expected: 'a string of 1-256 characters',
    });
  }
  if (clientOrderId !== undefined && idempotencyKey !== undefined) {
    throw new InvalidOrderError(`${field} takes clientOrderId or idempotencyKey, not both`, {
      field: `${field}.idempotencyKey`,
      expected: 'one of clientOrderId and idempotencyKey',
    });
  }
}
