import type { Decimal } from 'decimal.js';

import { isDecimal } from './decimal';
import { InvalidValueError } from './errors';

/** Construction-time checks shared by the value objects; each names the object and field. */
export function checkDecimal(owner: string, field: string, value: unknown, rule: 'nonNegative' | 'positive'): Decimal {
  const ok = isDecimal(value) && value.isFinite() && (rule === 'positive' ? value.gt(0) : value.gte(0));
  if (!ok) {
    const expected = rule === 'positive' ? 'a positive finite Decimal' : 'a finite Decimal >= 0';
    const got = isDecimal(value) ? value.toString() : typeof value;
    throw new InvalidValueError(`${owner}.${field} must be ${expected}, got ${got}`, { field, expected });
  }
  return value;
}

export function checkText(owner: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidValueError(`${owner}.${field} must be a non-empty string`, { field, expected: 'a non-empty string' });
  }
  return value;
}

export function checkOneOf<T extends string>(owner: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidValueError(`${owner}.${field} must be one of ${allowed.join(', ')}, got ${String(value)}`, {
      field,
      expected: allowed.join(' | '),
    });
  }
  return value as T;
}

export const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
