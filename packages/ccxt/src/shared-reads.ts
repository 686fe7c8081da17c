import { OperationAbortedError } from '@xport/core';
import type { Clock } from '@xport/resilience';

/** How long a shared venue read (a spot price) is reused by default, ms. */
export const DEFAULT_PRICE_MAX_AGE_MS = 1_000;

interface Flight {
  readonly sentAt: number;
  readonly answer: Promise<unknown>;
  /** Set once the read has answered; a failed read is forgotten at once. */
  settled: boolean;
}

/** One caller's terms for reusing a read. */
export interface ShareTerms {
  /** The oldest answer this caller accepts, counted from when its read was sent; 0 reads afresh every time. */
  readonly maxAgeMs: number;
  /**
   * This caller's abort signal: another caller's abort never fails this one. A caller waiting on a
   * read another sent is released when that read answers (at most one request timeout), then
   * its own abort is seen by the order path before anything is sent.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Single-flight reads of venue data every account sees alike (a symbol's ticker), shared by every
 * adapter of one venue runtime: concurrent callers wait for one request, and later callers reuse
 * its answer while it is younger than their `maxAgeMs`. Failures are never reused: the next caller
 * sends afresh. Only public data may go through here — never anything an account's keys decide.
 */
export class SharedReads {
  readonly #flights = new Map<string, Flight>();
  /** Requests actually sent, for tests and the benchmark. */
  sent = 0;

  constructor(readonly clock: Clock) {}

  async read<T>(key: string, terms: ShareTerms, send: () => Promise<T>): Promise<T> {
    if (terms.maxAgeMs <= 0) {
      this.sent += 1;
      return send();
    }
    for (;;) {
      const joined = this.#fresh(key, terms.maxAgeMs);
      const flight = joined ?? this.#start(key, send);
      try {
        return (await flight.answer) as T;
      } catch (error) {
        // A failure is every waiter's, except an abort of the caller that sent the read: a waiter
        // whose own signal is still live sends afresh rather than inherit someone else's abort.
        if (joined === undefined || terms.signal?.aborted === true || !isAbort(error)) throw error;
      }
    }
  }

  #fresh(key: string, maxAgeMs: number): Flight | undefined {
    const flight = this.#flights.get(key);
    if (flight === undefined) return undefined;
    if (!flight.settled || this.clock.now() - flight.sentAt <= maxAgeMs) return flight;
    return undefined;
  }

  #start(key: string, send: () => Promise<unknown>): Flight {
    this.sent += 1;
    const flight: Flight = { sentAt: this.clock.now(), answer: send(), settled: false };
    this.#flights.set(key, flight);
    flight.answer.then(
      () => {
        flight.settled = true;
      },
      () => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      },
    );
    return flight;
  }
}

/** Whether a failure is an abort (the sender's signal), which says nothing about the venue. */
function isAbort(error: unknown): boolean {
  return OperationAbortedError.isInstance(error) || (error instanceof Error && error.name === 'AbortError');
}

const READS = new WeakMap<object, SharedReads>();

/** The shared reads of one venue runtime (created on first use; held as long as the runtime is). */
export function sharedReadsOf(runtime: object, clock: Clock): SharedReads {
  let reads = READS.get(runtime);
  if (reads === undefined) {
    reads = new SharedReads(clock);
    READS.set(runtime, reads);
  }
  return reads;
}
