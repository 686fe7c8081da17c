/**
 * How a retry spreads its waits. Full jitter is the default: AWS measured it as the least total
 * work when many clients back off from one overloaded server, which is a copy-trading backend's
 * normal case (a thousand followers retrying against one exchange). Every strategy grows by
 * `factor`, including decorrelated jitter (which AWS wrote with a fixed 3).
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

export const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/** What a backoff delay is computed from: base, cap, growth factor and jitter. */
export interface BackoffSettings {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly jitter: Jitter;
}

/**
 * The wait before retry number `retry` (1 for the first retry), before jitter:
 * `min(maxDelayMs, baseDelayMs * factor^(retry - 1))`. Overflow saturates at the cap; a zero base
 * stays zero (cockatiel computed `0 * Infinity` here and slept NaN ms).
 */
export function exponentialDelayMs(settings: BackoffSettings, retry: number): number {
  const { baseDelayMs, maxDelayMs, factor } = settings;
  if (baseDelayMs === 0) return 0;
  return Math.min(maxDelayMs, baseDelayMs * factor ** (retry - 1));
}

/** An injected random source that misbehaves cannot make a delay NaN: NaN counts as 1 (the longest wait). */
function unitInterval(value: number): number {
  if (Number.isNaN(value)) return 1;
  return Math.min(1, Math.max(0, value));
}

/**
 * The wait before retry number `retry`, given the previous wait (the base delay before the first
 * retry) and one draw of the random source in [0, 1).
 *
 * - none: the exponential delay `e`.
 * - full: uniform in [0, e].
 * - equal: uniform in [e/2, e].
 * - decorrelated: uniform in [base, min(max, previous * factor)].
 *
 * With finite, validated settings the result is always finite, >= 0 and <= maxDelayMs.
 */
export function backoffDelayMs(settings: BackoffSettings, retry: number, previousDelayMs: number, random: number): number {
  const draw = unitInterval(random);
  switch (settings.jitter) {
    case 'none':
      return exponentialDelayMs(settings, retry);
    case 'full':
      return draw * exponentialDelayMs(settings, retry);
    case 'equal': {
      const ceiling = exponentialDelayMs(settings, retry);
      // min(): halving a subnormal rounds, and the sum could exceed the ceiling by one ulp.
      return Math.min(ceiling, ceiling / 2 + (draw * ceiling) / 2);
    }
    case 'decorrelated': {
      const low = Math.min(settings.baseDelayMs, settings.maxDelayMs);
      const high = Math.max(low, Math.min(settings.maxDelayMs, previousDelayMs * settings.factor));
      return Math.min(high, low + draw * (high - low));
    }
  }
}
