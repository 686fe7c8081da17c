/**
 * What the policies read from an error they know nothing about: the `retryable` and
 * `retryAfterMs` fields that @xport/core's errors (and this package's own) carry, and the attempt
 * count a retry attaches to the error it finally throws.
 */

function fieldOf(error: unknown, field: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[field] : undefined;
}

/** The error's own `retryable` verdict: true, false, or undefined when it does not say. */
export function retryableMark(error: unknown): boolean | undefined {
  const mark = fieldOf(error, 'retryable');
  return typeof mark === 'boolean' ? mark : undefined;
}

/** The error's `retryAfterMs` when it is a finite, non-negative number; otherwise undefined. */
export function retryAfterMsOf(error: unknown): number | undefined {
  const value = fieldOf(error, 'retryAfterMs');
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The attempt count a retry attached to the error it threw, or undefined. */
export function attemptsOf(error: unknown): number | undefined {
  const value = fieldOf(error, 'attempts');
  return typeof value === 'number' ? value : undefined;
}

/** Frozen errors and thrown primitives cannot carry the count; they are thrown as they are. */
export function attachAttempts(error: unknown, attempts: number): void {
  if (typeof error !== 'object' || error === null) return;
  try {
    (error as { attempts?: number }).attempts = attempts;
  } catch {
    // frozen, or `attempts` is read-only on this error: leave it as it is
  }
}
