/** Any error class, abstract or not, whatever its constructor takes. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Brands an error class and returns its brand, `Symbol.for('<packageName>/<name>')`, for the class's
 * `static readonly brand`:
 *
 * ```ts
 * class TimeoutError extends Error {
 *   static readonly brand: symbol = brandErrorClass(this, '@xport/resilience', 'TimeoutError');
 *   static isInstance(value: unknown): value is TimeoutError {
 *     return hasErrorBrand(value, TimeoutError.brand);
 *   }
 * }
 * ```
 *
 * The brand goes on the prototype, so a subclass's instances carry their parents' brands too, and
 * it comes from the global symbol registry, so the ESM and CJS builds of a package and two installed
 * copies of it recognise each other's errors, where `instanceof` does not. The prototype's `name`
 * is set as well: bundlers rename classes, and stack traces and logs should not show `_TimeoutError`.
 */
export function brandErrorClass(errorClass: ErrorClass, packageName: string, name: string): symbol {
  const brand = Symbol.for(`${packageName}/${name}`);
  Object.defineProperty(errorClass.prototype, brand, { value: true });
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true });
  return brand;
}

/** Whether `value` is an instance of the class that owns `brand` (or of a subclass), from any copy. */
export function hasErrorBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
