import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A circuit breaker's state as the gauge shows it: 0 closed, 1 half-open, 2 open, 3 isolated (held open by hand). */
export const BREAKER_STATE_VALUES = { closed: 0, half_open: 1, open: 2, isolated: 3 } as const;

/** A breaker state, as `@xport/resilience` names them. */
export type BreakerStateName = keyof typeof BREAKER_STATE_VALUES;

/** The fields of an adapter's venue event the metrics read (the shape of `@xport/ccxt`'s `VenueEvent`). */
export type VenueEventLike =
  | { readonly type: 'rate_limited'; readonly venue: string; readonly refusal: string }
  | { readonly type: 'budget_wait'; readonly venue: string; readonly scope: string; readonly waitedMs: number }
  | { readonly type: 'breaker_state'; readonly venue: string; readonly market: string; readonly to: string };

/**
 * The Prometheus metrics of a fan-out process (prom-client), in a registry of its own:
 *
 * - `xport_orders_total{venue,status}`: follower jobs finished, by the app's status (placed, skipped, failed);
 * - `xport_signal_to_order_seconds{venue}`: from the signal's submission to its follower's outcome;
 * - `xport_queue_jobs{queue,state}`: jobs waiting, active, delayed (retries in backoff), failed, completed;
 * - `xport_job_retries_total{reason}`: follower jobs given back to the queue to try later;
 * - `xport_breaker_state{venue,market}`: 0 closed, 1 half-open, 2 open, 3 isolated, as the adapters report it;
 * - `xport_rate_limited_total{venue,refusal}`: requests the venue refused for rate, by what it said
 *   (`429`, `418`, `403`, or its code: `-1003`, `-1015`, `10006`);
 * - `xport_budget_wait_seconds{venue,scope}`: how long requests waited for a budget before they were
 *   signed (scope `ip`, `endpoint` or `account`), one observation per request and budget.
 *
 * Node's default process metrics are added under the same prefix.
 */
export class FanOutMetrics {
  readonly registry: Registry;
  readonly #orders: Counter<'venue' | 'status'>;
  readonly #latency: Histogram<'venue'>;
  readonly #retries: Counter<'reason'>;
  readonly #breaker: Gauge<'venue' | 'market'>;
  readonly #rateLimited: Counter<'venue' | 'refusal'>;
  readonly #budgetWait: Histogram<'venue' | 'scope'>;
  readonly #queues = new Set<Queue>();

  constructor(options: { readonly registry?: Registry | undefined; readonly defaultMetrics?: boolean | undefined } = {}) {
    this.registry = options.registry ?? new Registry();
    const registers = [this.registry];
    this.#orders = new Counter({ name: 'xport_orders_total', help: 'Follower orders finished, by venue and outcome (placed, skipped, failed).', labelNames: ['venue', 'status'], registers });
    this.#latency = new Histogram({
      name: 'xport_signal_to_order_seconds',
      help: "From a signal's submission to one follower's outcome, in seconds.",
      labelNames: ['venue'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    });
    this.#retries = new Counter({ name: 'xport_job_retries_total', help: 'Follower jobs given back to the queue to be tried later, by reason.', labelNames: ['reason'], registers });
    this.#breaker = new Gauge({ name: 'xport_breaker_state', help: 'Circuit breaker state per venue and market: 0 closed, 1 half-open, 2 open, 3 isolated.', labelNames: ['venue', 'market'], registers });
    this.#rateLimited = new Counter({
      name: 'xport_rate_limited_total',
      help: 'Requests the venue refused for rate, by what it said (HTTP 429, 418, 403, or its code: -1003, -1015, 10006).',
      labelNames: ['venue', 'refusal'],
      registers,
    });
    this.#budgetWait = new Histogram({
      name: 'xport_budget_wait_seconds',
      help: 'Time a request waited for one of its budgets (scope ip, endpoint or account) before it was signed, in seconds.',
      labelNames: ['venue', 'scope'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers,
    });
    const queues = this.#queues;
    new Gauge({
      name: 'xport_queue_jobs',
      help: 'Jobs in each queue by state (delayed: retries waiting out their backoff).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const queue of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }
      },
    });
    if (options.defaultMetrics !== false) {
      // prom-client's process metrics (CPU, memory, event-loop lag), collected when scraped.
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /** Reports a queue's depth on every scrape. */
  watchQueue(queue: Queue): void {
    this.#queues.add(queue);
  }

  /** Stops reporting a queue (it is closing). */
  unwatchQueue(queue: Queue): void {
    this.#queues.delete(queue);
  }

  /** Counts one follower job's outcome, and its signal → outcome latency when known. */
  orderFinished(venue: string, status: string, latencyMs: number | undefined): void {
    this.#orders.inc({ venue, status });
    if (latencyMs !== undefined && latencyMs >= 0) this.#latency.observe({ venue }, latencyMs / 1000);
  }

  /** Counts a job given back to the queue to be tried later. */
  jobRetried(reason: string): void {
    this.#retries.inc({ reason });
  }

  /** Records a venue-market circuit breaker's new state (`binance`, `spot`, `open`). */
  breakerChanged(venue: string, market: string, state: BreakerStateName): void {
    this.#breaker.set({ venue, market }, BREAKER_STATE_VALUES[state]);
  }

  /** Counts a request the venue refused for rate, by what it said (`429`, `418`, `-1015`, `10006`). */
  rateLimited(venue: string, refusal: string): void {
    this.#rateLimited.inc({ venue, refusal });
  }

  /** Records how long a request waited for one of its budgets (`ip`, `endpoint`, `account`). */
  budgetWaited(venue: string, scope: string, waitMs: number): void {
    this.#budgetWait.observe({ venue, scope }, Math.max(0, waitMs) / 1000);
  }

  /**
   * Takes an adapter's venue event (`onVenueEvent` of `@xport/ccxt`'s adapters) into the metrics
   * above.
   */
  venueEvent(event: VenueEventLike): void {
    if (event.type === 'rate_limited') this.rateLimited(event.venue, event.refusal);
    else if (event.type === 'budget_wait') this.budgetWaited(event.venue, event.scope, event.waitedMs);
    else if (event.to in BREAKER_STATE_VALUES) this.breakerChanged(event.venue, event.market, event.to as BreakerStateName);
  }

  /** The text format Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
