import type { Clock } from '@xport/resilience';

/**
 * A Clock over a test's clock that aborts `controller` (with `reason`) at the first wait that begins
 * once `when()` holds, before that wait — so a test can abort "while the adapter waits for X"
 * without racing real time. `requestsAtAbort` is what `countRequests()` said at that moment, for
 * proving that nothing was sent afterwards.
 */
export class AbortingClock implements Clock {
  #requestsAtAbort: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly controller: AbortController,
    private readonly reason: unknown,
    private readonly when: () => boolean,
    private readonly countRequests: () => number,
  ) {}

  now(): number {
    return this.clock.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (!this.controller.signal.aborted && this.when()) {
      this.#requestsAtAbort = this.countRequests();
      this.controller.abort(this.reason);
    }
    return this.clock.sleep(ms, signal);
  }

  /** Requests counted when the abort fired; undefined while it has not. */
  get requestsAtAbort(): number | undefined {
    return this.#requestsAtAbort;
  }
}
