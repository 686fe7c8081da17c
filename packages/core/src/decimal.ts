import { Decimal } from 'decimal.js';

import { InvalidOrderError } from './errors';

export { Decimal };

/** A value decimal.js can take: what `Decimal` accepts from configuration and JSON. */
export type DecimalInput = Decimal | string;

/**
 * True for a Decimal from any copy of decimal.js (`instanceof` fails across copies; decimal.js
 * brands its instances itself).
 */
export function isDecimal(value: unknown): value is Decimal {
  return Decimal.isDecimal(value);
}

const describe = (value: unknown): string =>
  typeof value === 'string' ? `string ${JSON.stringify(value)}` : value === null ? 'null' : typeof value;

/**
 * Reads an amount from configuration or JSON: a Decimal, or a decimal string such as `"0.001"`.
 * JS numbers are refused on purpose: `0.1 + 0.2` is how money goes missing.
 */
export function parseDecimal(value: unknown, field: string): Decimal {
  if (isDecimal(value)) {
    if (!value.isFinite()) throw new InvalidOrderError(`${field} must be finite, got ${value.toString()}`, { field, expected: 'a finite decimal' });
    return value;
  }
  if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) {
    return new Decimal(value.trim());
  }
  throw new InvalidOrderError(`${field} must be a Decimal or a decimal string, got ${describe(value)}`, {
    field,
    expected: 'a Decimal or a decimal string such as "0.001"',
  });
}

/** Formats for display and JSON: plain notation, no exponent, no trailing zeros beyond the value. */
export function formatDecimal(value: Decimal): string {
  return value.toFixed();
}
