import { systemClock, type Clock } from './clock';
import { TimeoutError } from './timeout-error';
import { nonNegativeMs } from './validate';

/** The clock the deadline is measured on, and the caller's own cancellation. */
export interface WithTimeoutOptions {
  readonly clock?: Clock | undefined;
  /** The caller's own cancellation: aborts the inner signal too and rejects with its reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `operation` with a deadline. `operation` gets a signal of its own that aborts (with the
 * TimeoutError as reason) when the deadline passes, so an HTTP request can really be cancelled
 * rather than left running. Rejects with TimeoutError (retryable: true) on the deadline, with the
 * outer signal's reason on an outer abort, and otherwise settles as the operation does. No timer
 * outlives the call.
 */
export function withTimeout<T>(
  operation: (signal: AbortSignal) => PromiseLike<T>,
  timeoutMs: number,
  options: WithTimeoutOptions = {},
): Promise<T> {
  nonNegativeMs('withTimeout', 'timeoutMs', timeoutMs);
  const { clock = systemClock, signal: outer } = options;
  if (outer?.aborted === true) return Promise.reject(outer.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const inner = new AbortController();
    const deadline = new AbortController();
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      deadline.abort();
      outer?.removeEventListener('abort', onOuterAbort);
      return true;
    };
    const onOuterAbort = (): void => {
      if (!settle()) return;
      inner.abort(outer?.reason);
      reject(outer?.reason as Error);
    };
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    clock.sleep(timeoutMs, deadline.signal).then(
      () => {
        if (!settle()) return;
        const error = new TimeoutError(timeoutMs);
        inner.abort(error);
        reject(error);
      },
      () => undefined, // the deadline was cancelled because the call settled first
    );
    let pending: PromiseLike<T>;
    try {
      pending = operation(inner.signal);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what was thrown, Error or not
      pending = Promise.reject(error);
    }
    Promise.resolve(pending).then(
      (value) => {
        if (settle()) resolve(value);
      },
      (error: unknown) => {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what was thrown, Error or not
        if (settle()) reject(error);
      },
    );
  });
}
