/**
 * closed: calls pass and consecutive counted failures are counted.
 * open: calls fail fast until the open period ends.
 * half_open: a bounded number of trial calls at a time; the rest fail fast.
 * isolated: opened by hand with isolate(); stays open until reset().
 */
export type CircuitState = 'closed' | 'open' | 'half_open' | 'isolated';

const STATES: readonly CircuitState[] = ['closed', 'open', 'half_open', 'isolated'];

/**
 * A breaker's state as plain JSON, so it can be stored and restored in another process. Times are
 * the breaker clock's milliseconds (the wall clock with systemClock). Trial calls in flight are not
 * part of it: they belong to the process that started them.
 */
export interface CircuitSnapshot {
  readonly version: 1;
  readonly state: CircuitState;
  /** Counted failures in a row while closed. */
  readonly consecutiveFailures: number;
  /** Successful trials so far while half-open. */
  readonly halfOpenSuccesses: number;
  /** When the breaker opened; null unless open. */
  readonly openedAt: number | null;
  /** When an open breaker admits its first trial; null unless open. */
  readonly openUntil: number | null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isTimeOrNull(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

/** Checks a snapshot that came from outside (storage, another process) before it is trusted. */
export function parseCircuitSnapshot(value: unknown): CircuitSnapshot {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { version, state, consecutiveFailures, halfOpenSuccesses, openedAt, openUntil } = candidate;
  const valid =
    version === 1 &&
    STATES.includes(state as CircuitState) &&
    isCount(consecutiveFailures) &&
    isCount(halfOpenSuccesses) &&
    isTimeOrNull(openedAt) &&
    isTimeOrNull(openUntil) &&
    (state === 'open') === (openUntil !== null) &&
    (state === 'open') === (openedAt !== null);
  if (!valid) throw new TypeError(`Not a version 1 circuit snapshot: ${JSON.stringify(value)}`);
  return { version, state: state as CircuitState, consecutiveFailures, halfOpenSuccesses, openedAt, openUntil };
}
