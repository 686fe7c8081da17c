import type { Job } from 'bullmq';
import { Queue, Worker } from 'bullmq';

import type { FanOutMetrics } from './fan-out-metrics';
import type { FollowerJob, FollowerOutcome } from './outcomes';
import { recordOutcome, redisAnswers } from './outcomes';
import type { QueueLocation } from './queue-location';
import { closeWhenReady, connectionOf, ORDERS_QUEUE, prefixOf, queueConfigError } from './queue-location';

/**
 * Thrown by `process` when the job cannot be done now and nothing was sent (the order journal does not
 * answer, say): BullMQ gives the job back to the queue and tries it again after its backoff.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    /** A short label for the metrics (`journal_unreachable`). */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where the queue is, what to do with each follower job, and how many at once. */
export interface FollowerJobWorkerOptions extends QueueLocation {
  /**
   * Does one follower's order and says what happened. Throwing `RetryLaterError` (or anything else)
   * retries the job after its backoff; a job stopped mid-way (its process killed) is given to another
   * worker once its lock expires. So `process` must be idempotent: the copy-trader's is, through its
   * order journal and client order ids.
   */
  readonly process: (job: FollowerJob) => Promise<FollowerOutcome>;
  /** Jobs in flight in this process. Default 16. */
  readonly concurrency?: number | undefined;
  /**
   * How long a job's lock holds without renewal, ms (BullMQ renews it at half this while the job
   * runs). A killed worker's jobs go to another worker within about this plus `stalledIntervalMs`. Default 30,000.
   */
  readonly lockDurationMs?: number | undefined;
  /** How often this worker looks for jobs whose worker stopped, ms. Default 30,000. */
  readonly stalledIntervalMs?: number | undefined;
  /** How often one job may be found stalled before it is failed. Default 5. */
  readonly maxStalledCount?: number | undefined;
  /** How long finished results are kept, in seconds (match the fan-out's `keepSeconds`). Default 7 days. */
  readonly keepSeconds?: number | undefined;
  readonly metrics?: FanOutMetrics | undefined;
}

function positiveInteger(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw queueConfigError(field, 'a positive integer', String(value));
  return value;
}

/**
 * The consuming side: takes follower jobs from the queue, runs `process` for each, records the
 * outcome under its signal (for the fan-out's report) and counts it in the metrics. `close()` stops
 * taking jobs and waits for those in flight.
 */
export class FollowerJobWorker {
  readonly worker: Worker<FollowerJob>;
  readonly #options: FollowerJobWorkerOptions;
  readonly #prefix: string;
  readonly #keepSeconds: number;
  /** The orders queue as the metrics read its depth; only with `metrics`. */
  readonly #watched: Queue | undefined;

  constructor(options: FollowerJobWorkerOptions) {
    this.#options = options;
    this.#prefix = prefixOf(options);
    this.#keepSeconds = positiveInteger(options.keepSeconds, 'keepSeconds', 7 * 24 * 3600);
    const lockDuration = positiveInteger(options.lockDurationMs, 'lockDurationMs', 30_000);
    this.worker = new Worker<FollowerJob>(ORDERS_QUEUE, (job) => this.#run(job), {
      connection: connectionOf(options),
      prefix: this.#prefix,
      concurrency: positiveInteger(options.concurrency, 'concurrency', 16),
      lockDuration,
      stalledInterval: positiveInteger(options.stalledIntervalMs, 'stalledIntervalMs', 30_000),
      maxStalledCount: positiveInteger(options.maxStalledCount, 'maxStalledCount', 5),
      autorun: false,
    });
    this.worker.on('failed', (job, error) => {
      if (job === undefined) return;
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade < attempts && !error.message.includes('stalled more than')) {
        options.metrics?.jobRetried(error instanceof RetryLaterError ? error.reason : 'error');
        return;
      }
      void this.#giveUp(job, error).catch(() => undefined);
    });
    // Connection errors are retried by ioredis; without a listener they would crash the process.
    this.worker.on('error', () => undefined);
    if (options.metrics !== undefined) {
      this.#watched = new Queue(ORDERS_QUEUE, { connection: connectionOf(options), prefix: this.#prefix });
      this.#watched.on('error', () => undefined);
      options.metrics.watchQueue(this.#watched);
    }
  }

  /** Starts taking jobs; resolves when the worker has stopped (after `close()`). */
  run(): Promise<void> {
    return this.worker.run();
  }

  async #run(job: Job<FollowerJob>): Promise<FollowerOutcome> {
    const data = { ...job.data, jobId: job.id ?? '', attemptsMade: job.attemptsMade };
    const outcome = await this.#options.process(data);
    await this.#record(job, outcome);
    return outcome;
  }

  async #record(job: Job<FollowerJob>, outcome: FollowerOutcome): Promise<void> {
    await recordOutcome(await this.worker.client, this.#prefix, job.data.signalId, job.data.followerId, outcome, this.#keepSeconds);
    this.#options.metrics?.orderFinished(outcome.venue, outcome.status, Date.now() - job.data.submittedAt);
  }

  /**
   * A job out of tries: recorded as failed with the reason, so the signal's report is complete. Its
   * id is the client order id, which is what to look up when a worker stopped mid-order.
   */
  async #giveUp(job: Job<FollowerJob>, error: Error): Promise<void> {
    const reason = `gave up after ${job.attemptsMade} attempts (${error.message.split('\n')[0] ?? ''}); the order journal holds what was sent under ${job.id ?? ''}`;
    await this.#record(job, { status: 'failed', venue: 'unknown', result: JSON.stringify({ followerId: job.data.followerId, status: 'failed', reason }) });
  }

  /** True when Redis answers a PING. */
  async redisAnswers(): Promise<boolean> {
    return redisAnswers(await this.worker.client, this.#prefix);
  }

  /** Stops taking jobs and waits for those in flight to finish. */
  async close(): Promise<void> {
    await closeWhenReady(this.worker);
    if (this.#watched !== undefined) {
      this.#options.metrics?.unwatchQueue(this.#watched);
      await closeWhenReady(this.#watched);
    }
  }
}
