/**
 * A promise that rejects one microtask from now. A promise rejected before anyone could attach a
 * handler costs Node about a microsecond of unhandled-rejection bookkeeping (it is recorded, then
 * un-recorded when the caller's `await` attaches); rejecting after the caller has attached skips
 * that, which halves the cost of a breaker's fast failure. Unhandled ones are still reported.
 */
export function rejectAfterHandlersAttach<T>(error: unknown): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    queueMicrotask(() => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what was thrown, Error or not
      reject(error);
    });
  });
}
