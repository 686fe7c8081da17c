import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, exponentialDelayMs, JITTERS, type BackoffSettings, type Jitter } from './backoff';

const doubling: BackoffSettings = { baseDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 'none' };

function sequence(settings: BackoffSettings, retries: number, draws: readonly number[] = []): number[] {
  const delays: number[] = [];
  let previous = settings.baseDelayMs;
  for (let retry = 1; retry <= retries; retry++) {
    previous = backoffDelayMs(settings, retry, previous, draws[retry - 1] ?? 0.5);
    delays.push(previous);
  }
  return delays;
}

const settingsArbitrary = fc.record({
  baseDelayMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
  maxDelayMs: fc.double({ min: 0, max: 1e9, noNaN: true }),
  factor: fc.double({ min: 1, max: 1e6, noNaN: true }),
  jitter: fc.constantFrom<Jitter>(...JITTERS),
});
// Draws include the values a broken random source could return.
const drawArbitrary = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(Number.NaN, -1, 1, 2, Infinity, -Infinity));

describe('backoffDelayMs', () => {
  it('doubles from 1 s without jitter', () => {
    expect(sequence(doubling, 5)).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('caps every delay at maxDelayMs', () => {
    expect(sequence({ ...doubling, factor: 10, maxDelayMs: 25_000 }, 4)).toEqual([1000, 10_000, 25_000, 25_000]);
  });

  it('scales full and equal jitter by the draw', () => {
    expect(sequence({ ...doubling, jitter: 'full' }, 3, [0, 0.5, 0.25])).toEqual([0, 1000, 1000]);
    expect(sequence({ ...doubling, jitter: 'equal' }, 3, [0, 0.5, 0.25])).toEqual([500, 1500, 2500]);
  });

  it('draws decorrelated jitter between the base and the previous delay times the factor', () => {
    // previous 1000 → [1000, 3000]; previous 3000 → [1000, 9000]; previous 9000 → [1000, 27000]
    expect(sequence({ ...doubling, factor: 3, jitter: 'decorrelated' }, 3, [1, 1, 0.5])).toEqual([3000, 9000, 14_000]);
  });

  it('keeps a zero base at zero however far the exponent goes (no 0 × Infinity)', () => {
    expect(exponentialDelayMs({ ...doubling, baseDelayMs: 0 }, 5000)).toBe(0);
    expect(exponentialDelayMs(doubling, 5000)).toBe(30_000);
  });

  it('never returns NaN, a negative or more than the cap, whatever the settings and draws', () => {
    fc.assert(
      fc.property(settingsArbitrary, fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1e9, noNaN: true }), drawArbitrary, (settings, retry, previous, draw) => {
        const delay = backoffDelayMs(settings, retry, previous, draw);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(settings.maxDelayMs);
      }),
    );
  });

  it('keeps full jitter in [0, e] and equal jitter in [e/2, e]', () => {
    fc.assert(
      fc.property(settingsArbitrary, fc.integer({ min: 1, max: 60 }), drawArbitrary, (settings, retry, draw) => {
        const ceiling = exponentialDelayMs(settings, retry);
        const full = backoffDelayMs({ ...settings, jitter: 'full' }, retry, settings.baseDelayMs, draw);
        const equal = backoffDelayMs({ ...settings, jitter: 'equal' }, retry, settings.baseDelayMs, draw);
        expect(full).toBeGreaterThanOrEqual(0);
        expect(full).toBeLessThanOrEqual(ceiling);
        expect(equal).toBeGreaterThanOrEqual(ceiling / 2);
        expect(equal).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it('keeps decorrelated jitter in [min(base, max), min(max, previous × factor)]', () => {
    fc.assert(
      fc.property(settingsArbitrary, fc.double({ min: 0, max: 1e9, noNaN: true }), drawArbitrary, (settings, previous, draw) => {
        const low = Math.min(settings.baseDelayMs, settings.maxDelayMs);
        const high = Math.max(low, Math.min(settings.maxDelayMs, previous * settings.factor));
        const delay = backoffDelayMs({ ...settings, jitter: 'decorrelated' }, 1, previous, draw);
        expect(delay).toBeGreaterThanOrEqual(low);
        expect(delay).toBeLessThanOrEqual(high);
      }),
    );
  });
});
