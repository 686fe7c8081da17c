import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A circuit breaker's state as the gauge shows it: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * The Prometheus metrics of a fan-out process (prom-client), in a registry of its own:
 *
 * - `xport_orders_total{venue,status}`: follower jobs finished, by the app's status (placed, skipped, failed);
 * - `xport_signal_to_order_seconds{venue}`: from the signal's submission to its follower's outcome;
 * - `xport_queue_jobs{queue,state}`: jobs waiting, active, delayed (retries in backoff), failed, completed;
 * - `xport_job_retries_total{reason}`: follower jobs given back to the queue to try later;
 * - `xport_breaker_state{circuit}`: 0 closed, 1 half-open, 2 open, as the adapters report it;
 * - `xport_rate_limited_total{venue}`: requests the venue refused for rate (429, 418 ban, Bybit 10006);
 * - `xport_budget_wait_seconds{venue}`: time spent waiting for a request budget, for whatever reports it.
 *
 * Node's default process metrics are added under the same prefix.
 */
export class FanOutMetrics {
  readonly registry: Registry;
  readonly #orders: Counter<'venue' | 'status'>;
  readonly #latency: Histogram<'venue'>;
  readonly #retries: Counter<'reason'>;
  readonly #breaker: Gauge<'circuit'>;
  readonly #rateLimited: Counter<'venue'>;
  readonly #budgetWait: Histogram<'venue'>;
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
    this.#breaker = new Gauge({ name: 'xport_breaker_state', help: 'Circuit breaker state per venue and market: 0 closed, 1 half-open, 2 open.', labelNames: ['circuit'], registers });
    this.#rateLimited = new Counter({ name: 'xport_rate_limited_total', help: 'Requests the venue refused for rate (HTTP 429, a 418 ban, Bybit 10006).', labelNames: ['venue'], registers });
    this.#budgetWait = new Histogram({
      name: 'xport_budget_wait_seconds',
      help: 'Time a request waited for its venue budget, in seconds.',
      labelNames: ['venue'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
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

  /** Records a circuit breaker's new state (`binance-spot`: open). */
  breakerChanged(circuit: string, state: keyof typeof BREAKER_STATE_VALUES): void {
    this.#breaker.set({ circuit }, BREAKER_STATE_VALUES[state]);
  }

  /** Counts a request the venue refused for rate. */
  rateLimited(venue: string): void {
    this.#rateLimited.inc({ venue });
  }

  /** Records how long a request waited for its venue budget. */
  budgetWaited(venue: string, waitMs: number): void {
    this.#budgetWait.observe({ venue }, waitMs / 1000);
  }

  /** The text format Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
