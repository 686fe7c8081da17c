import { describe, expect, it } from 'vitest';

import { brandErrorClass, hasErrorBrand } from './error-brand';

class ParentError extends Error {
  static readonly brand: symbol = brandErrorClass(this, '@xport/test', 'ParentError');
}

class ChildError extends ParentError {
  static override readonly brand: symbol = brandErrorClass(this, '@xport/test', 'ChildError');
}

describe('brandErrorClass', () => {
  it('returns the registry symbol of the package and name, and marks the prototype with it', () => {
    expect(ParentError.brand).toBe(Symbol.for('@xport/test/ParentError'));
    expect(hasErrorBrand(new ParentError('x'), ParentError.brand)).toBe(true);
    expect(new ParentError('x').name).toBe('ParentError');
    expect(String(new ChildError('boom'))).toBe('ChildError: boom');
  });

  it('lets a subclass carry its parents\' brands, not the reverse', () => {
    expect(hasErrorBrand(new ChildError('x'), ParentError.brand)).toBe(true);
    expect(hasErrorBrand(new ParentError('x'), ChildError.brand)).toBe(false);
  });

  it('recognises an error of another copy of the class by its brand alone', () => {
    // What a second installed copy of the package, or its other module format, would build.
    class CopyOfParentError extends Error {
      static readonly brand: symbol = brandErrorClass(this, '@xport/test', 'ParentError');
    }
    const foreign = new CopyOfParentError('x');
    expect(foreign).not.toBeInstanceOf(ParentError);
    expect(hasErrorBrand(foreign, ParentError.brand)).toBe(true);
  });

  it('refuses look-alikes and non-objects', () => {
    expect(hasErrorBrand(Object.assign(new Error('x'), { name: 'ParentError' }), ParentError.brand)).toBe(false);
    for (const value of [null, undefined, 'ParentError', 42, Symbol.for('@xport/test/ParentError')]) expect(hasErrorBrand(value, ParentError.brand)).toBe(false);
  });

  it('leaves the name writable, as Error.prototype.name is', () => {
    const error = new ParentError('x');
    error.name = 'Renamed';
    expect(error.name).toBe('Renamed');
    expect(new ParentError('y').name).toBe('ParentError');
  });
});
