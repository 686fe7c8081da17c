/** Resolves on the first SIGTERM or abort of `signal` (how `serve` and `worker` are stopped). */
export function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGTERM', done);
    if (signal?.aborted === true) done();
    signal?.addEventListener('abort', done, { once: true });
  });
}
