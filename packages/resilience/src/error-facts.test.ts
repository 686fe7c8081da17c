import { describe, expect, it } from 'vitest';
import { attachAttempts, attemptsOf, retryableMark, retryAfterMsOf } from './error-facts';

describe('error facts', () => {
  it('reads the retryable mark only when it is a boolean', () => {
    expect(retryableMark({ retryable: true })).toBe(true);
    expect(retryableMark({ retryable: false })).toBe(false);
    for (const unmarked of [new Error('x'), { retryable: 'yes' }, null, undefined, 'retryable', 7]) {
      expect(retryableMark(unmarked)).toBeUndefined();
    }
  });

  it('reads retryAfterMs only when it is a finite, non-negative number', () => {
    expect(retryAfterMsOf({ retryAfterMs: 1500 })).toBe(1500);
    expect(retryAfterMsOf({ retryAfterMs: 0 })).toBe(0);
    for (const value of [Number.NaN, -1, Infinity, '1500', undefined]) expect(retryAfterMsOf({ retryAfterMs: value })).toBeUndefined();
  });

  it('attaches the attempt count where it can and leaves other values alone', () => {
    const error = new Error('x');
    attachAttempts(error, 3);
    expect(attemptsOf(error)).toBe(3);
    expect(Object.keys(error)).toContain('attempts');
    const frozen = Object.freeze(new Error('frozen'));
    expect(() => {
      attachAttempts(frozen, 2);
    }).not.toThrow();
    expect(attemptsOf(frozen)).toBeUndefined();
    expect(() => {
      attachAttempts('a string', 2);
    }).not.toThrow();
  });
});
