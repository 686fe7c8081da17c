import type { Decimal } from 'decimal.js';

/**
 * A decimal as the venues write numbers on the wire: plain positional notation, never exponent
 * form (`Decimal.toString()` would write `1e-8`, which no venue sends).
 */
export function formatDecimal(value: Decimal): string {
  return value.toFixed();
}
