/**
 * `instanceof` fails when two copies of this package are loaded (ESM and CJS, or two versions), so
 * each error class puts a `Symbol.for` marker on its prototype; the registry is global, so any copy
 * recognises any other copy's errors.
 */
export function errorMarker(name: string): symbol {
  return Symbol.for(`@xport/resilience/${name}`);
}

export function hasMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

export function markPrototype(prototype: object, name: string, marker: symbol): void {
  Object.defineProperty(prototype, marker, { value: true });
  Object.defineProperty(prototype, 'name', { value: name, writable: true, configurable: true });
}
