/**
 * Option checks shared by every policy. A NaN or Infinity that slips into a delay turns into a
 * zero-length or never-ending wait far from where it was written, so options are refused at
 * construction, with the owner and the field named in the message.
 */

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
}

export function finiteAtLeast(owner: string, field: string, value: unknown, minimum: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    throw new RangeError(`${owner}: ${field} must be a finite number >= ${minimum}, got ${describe(value)}`);
  }
  return value;
}

export function nonNegativeMs(owner: string, field: string, value: unknown): number {
  return finiteAtLeast(owner, field, value, 0);
}

export function integerAtLeast(owner: string, field: string, value: unknown, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`${owner}: ${field} must be an integer >= ${minimum}, got ${describe(value)}`);
  }
  return value;
}

export function functionOption<F extends (...args: never[]) => unknown>(owner: string, field: string, value: F): F {
  if (typeof value !== 'function') {
    throw new TypeError(`${owner}: ${field} must be a function, got ${describe(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(owner: string, field: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new RangeError(`${owner}: ${field} must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  }
  return value;
}
