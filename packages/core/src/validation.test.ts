import { describe, expect, it } from 'vitest';

import { Decimal } from './decimal';
import { InvalidLeverageError, InvalidOrderError } from './errors';
import { assertCallOptions, assertClientOrderId, assertLeverage, assertQuantity } from './validation';

const refusal = (fn: () => void): InvalidOrderError => {
  try {
    fn();
  } catch (error) {
    if (InvalidOrderError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('assertQuantity', () => {
  it.each([
    ['negative', new Decimal(-1), 'positive finite Decimal, got -1'],
    ['zero', new Decimal(0), 'got 0'],
    ['NaN', new Decimal(NaN), 'got NaN'],
    ['infinite', new Decimal(Infinity), 'got Infinity'],
    ['a string from untyped JS', '0.1', 'must be a Decimal (decimal.js), got string "0.1"'],
    ['a number from untyped JS', 0.1, 'got 0.1'],
    ['null', null, 'got an object'],
    ['undefined', undefined, 'got undefined'],
  ])('refuses %s, naming the field and what was expected', (_label, value, message) => {
    const error = refusal(() => {
      assertQuantity(value);
    });
    expect(error.field).toBe('quantity');
    expect(error.expected).toBe('a positive Decimal');
    expect(error.message).toContain(message);
  });

  it('accepts a positive Decimal', () => {
    expect(() => {
      assertQuantity(new Decimal('0.001'));
    }).not.toThrow();
  });
});

describe('assertLeverage', () => {
  it.each([0, -3, 2.5, NaN, Infinity, 201, 1e9, '10', null])('refuses %s with InvalidLeverageError', (value) => {
    const error = refusal(() => {
      assertLeverage(value);
    });
    expect(InvalidLeverageError.isInstance(error)).toBe(true);
    expect(error.field).toBe('leverage');
  });

  it.each([1, 20, 125, 200])('accepts %s', (value) => {
    expect(() => {
      assertLeverage(value);
    }).not.toThrow();
  });
});

describe('assertClientOrderId and assertCallOptions', () => {
  it.each(['', 'has space', 'x'.repeat(65), 'semi;colon', 42])('refuses client order id %s', (value) => {
    expect(refusal(() => {
      assertClientOrderId(value);
    }).field).toBe('clientOrderId');
  });

  it('refuses a signal that is not an AbortSignal, and both id and key at once', () => {
    expect(refusal(() => {
      assertCallOptions({ signal: 'soon' });
    }).field).toBe('options.signal');
    expect(refusal(() => {
      assertCallOptions({ clientOrderId: 'a', idempotencyKey: 'b' });
    }).field).toBe('options.idempotencyKey');
    expect(refusal(() => {
      assertCallOptions('fast');
    }).field).toBe('options');
  });

  it('accepts the documented shapes', () => {
    expect(() => {
      assertCallOptions(undefined);
      assertCallOptions({ signal: new AbortController().signal, clientOrderId: 'xp_1-2:3.4' });
      // Only the shape: a venue whose ids are longer than 36 characters can use them (its profile decides).
      assertCallOptions({ clientOrderId: 'x'.repeat(64) });
      assertCallOptions({ clientOrderId: 'bitget#1/a' });
      assertCallOptions({ idempotencyKey: 'signal-7:follower-12' });
    }).not.toThrow();
  });
});
