import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Job, JobsOptions } from 'bullmq';
import { Queue, Worker } from 'bullmq';

import type { FanOutMetrics } from './fan-out-metrics';
import type { SignalResults } from './outcomes';
import { countOutcomes, hsetWithTtl, readResults, redisAnswers, signalKeys } from './outcomes';
import type { QueueLocation } from './queue-location';
import { checkJobId, closeWhenReady, connectionOf, ORDERS_QUEUE, prefixOf, queueConfigError, SIGNALS_QUEUE } from './queue-location';

/** How the follower jobs of a signal are retried, and how long finished jobs are kept. */
export interface FollowerJobPolicy {
  /** Tries per follower job, the first included (a worker's "try later" and a stopped worker both count). Default 12. */
  readonly attempts?: number | undefined;
  /** The first retry's delay; each next one doubles (BullMQ's exponential backoff). Default 1,000 ms. */
  readonly backoffMs?: number | undefined;
  /**
   * How long finished jobs and results are kept, in seconds. While a signal's jobs are kept, submitting
   * it again adds nothing (BullMQ drops a job whose id exists). Default 7 days.
   */
  readonly keepSeconds?: number | undefined;
}

/** A signal once every follower job has an outcome (or the wait for them ended). */
export interface SignalDone extends SignalResults {
  readonly signalId: string;
  readonly payload: string;
  /** From the fan-out to the last outcome, ms. */
  readonly wallMs: number;
  /** True when `resultTimeoutMs` passed before every follower had an outcome. */
  readonly timedOut: boolean;
}

/** Where the queues are, who every signal goes to, how each pair's job id is derived, and who hears of a finished signal. */
export interface SignalFanOutOptions extends QueueLocation, FollowerJobPolicy {
  /** The followers every signal goes to. */
  readonly followerIds: readonly string[];
  /** The follower job's id: the (signal, follower) pair's idempotency key, without `:` (see `checkJobId`). */
  readonly jobIdOf: (signalId: string, followerId: string) => string;
  /**
   * Called once every follower of a signal has an outcome. Signals are fanned out one at a time, in
   * the order submitted, and the next waits for this one's outcomes (a close must not overtake its open).
   */
  readonly onSignalDone?: ((done: SignalDone) => void | Promise<void>) | undefined;
  /** How long a signal waits for its outcomes before it is reported as it stands. Default 1 hour. */
  readonly resultTimeoutMs?: number | undefined;
  /** How often outcomes are counted while waiting. Default 200 ms. */
  readonly pollMs?: number | undefined;
  readonly metrics?: FanOutMetrics | undefined;
}

/** What a signal's job holds. */
export interface SignalJobData {
  readonly signalId: string;
  readonly payload: string;
  readonly submittedAt: number;
  /** Tells this submission from an earlier one of the same id. */
  readonly submission: string;
}

/** Follower jobs are added in batches of this many (one round trip each). */
const BULK = 500;

/**
 * The producing side: `submit` queues a signal (its id the job id, so a second submission of the
 * same id is dropped), and a fan-out worker turns each signal into one follower job per follower,
 * each with the pair's idempotency key as its job id, then waits for their outcomes.
 */
export class SignalFanOut {
  readonly signals: Queue<SignalJobData>;
  readonly orders: Queue;
  readonly #options: SignalFanOutOptions;
  readonly #prefix: string;
  readonly #jobOptions: JobsOptions;
  readonly #keepSeconds: number;
  #worker: Worker<SignalJobData> | undefined;
  #closing = false;

  constructor(options: SignalFanOutOptions) {
    this.#options = options;
    this.#prefix = prefixOf(options);
    const connection = connectionOf(options);
    const attempts = options.attempts ?? 12;
    if (!Number.isInteger(attempts) || attempts < 1) throw queueConfigError('attempts', 'an integer of at least 1', String(attempts));
    this.#keepSeconds = options.keepSeconds ?? 7 * 24 * 3600;
    this.#jobOptions = {
      attempts,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      removeOnComplete: { age: this.#keepSeconds },
      removeOnFail: { age: this.#keepSeconds },
    };
    this.signals = new Queue<SignalJobData>(SIGNALS_QUEUE, { connection, prefix: this.#prefix });
    this.orders = new Queue(ORDERS_QUEUE, { connection, prefix: this.#prefix });
    // A queue re-emits its connection's errors (a reset, a command cut by close()); ioredis retries
    // and the command in flight rejects to its caller, but an 'error' event nobody listens to would
    // end the process.
    this.signals.on('error', () => undefined);
    this.orders.on('error', () => undefined);
    options.metrics?.watchQueue(this.signals);
    options.metrics?.watchQueue(this.orders);
  }

  /**
   * Starts fanning out queued signals: one at a time, in order, across every process that calls
   * `start` on these queues (BullMQ's global concurrency of 1 on the signals queue).
   */
  async start(): Promise<void> {
    if (this.#worker !== undefined) return;
    await this.signals.setGlobalConcurrency(1);
    this.#worker = new Worker<SignalJobData>(SIGNALS_QUEUE, (job) => this.#fanOut(job), { connection: connectionOf(this.#options), prefix: this.#prefix, concurrency: 1 });
    // A failure is retried by BullMQ; the listener keeps it from being an unhandled 'error'.
    this.#worker.on('error', () => undefined);
  }

  /**
   * Queues a signal. `queued: false` when a signal with this id is already queued, running or kept
   * (see `keepSeconds`): BullMQ dropped the duplicate and nothing more is sent for it.
   */
  async submit(signalId: string, payload: string): Promise<{ readonly queued: boolean }> {
    checkJobId(signalId, 'signalId');
    const submission = randomUUID();
    await this.signals.add('signal', { signalId, payload, submittedAt: Date.now(), submission }, { ...this.#jobOptions, jobId: signalId });
    // add() answers with the data it was given even when BullMQ kept an earlier job of that id: read back what is stored.
    const stored = await this.signals.getJob(signalId);
    return { queued: stored?.data.submission === submission };
  }

  /** True when Redis answers a PING. */
  async redisAnswers(): Promise<boolean> {
    return redisAnswers(await this.signals.client, this.#prefix);
  }

  /** A signal's outcomes so far. */
  async results(signalId: string): Promise<SignalResults> {
    return readResults(await this.orders.client, this.#prefix, signalId);
  }

  async #fanOut(job: Job<SignalJobData>): Promise<void> {
    const { signalId, payload, submittedAt } = job.data;
    const client = await this.orders.client;
    const followers = this.#options.followerIds;
    const keys = signalKeys(this.#prefix, signalId);
    await hsetWithTtl(client, keys.meta, { expected: followers.length, submittedAt }, this.#keepSeconds);
    const started = Date.now();
    for (let start = 0; start < followers.length; start += BULK) {
      const batch = followers.slice(start, start + BULK).map((followerId) => {
        const jobId = checkJobId(this.#options.jobIdOf(signalId, followerId), 'jobIdOf');
        return { name: 'order', data: { signalId, followerId, payload, submittedAt }, opts: { ...this.#jobOptions, jobId } };
      });
      // A job id that exists already (a fan-out retried after its process stopped) is dropped by BullMQ.
      await this.orders.addBulk(batch);
    }
    const timeoutMs = this.#options.resultTimeoutMs ?? 3_600_000;
    // Polled by count: reading (and parsing) every outcome each time costs serve a 10,000-follower signal's worth of JSON per poll.
    let finished = await countOutcomes(client, this.#prefix, signalId);
    while (finished < followers.length && Date.now() - started < timeoutMs && !this.#closing) {
      await sleep(this.#options.pollMs ?? 200);
      finished = await countOutcomes(client, this.#prefix, signalId);
    }
    const results = await this.results(signalId);
    if (this.#closing && results.outcomes.size < followers.length) throw new Error('stopped while waiting for outcomes: the next fan-out process reports this signal');
    await this.#options.onSignalDone?.({ ...results, signalId, payload, wallMs: Date.now() - started, timedOut: results.outcomes.size < followers.length });
  }

  /** Stops fanning out (a signal waiting for its outcomes is left for the next process) and closes the queues. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#worker !== undefined) await closeWhenReady(this.#worker);
    this.#options.metrics?.unwatchQueue(this.signals);
    this.#options.metrics?.unwatchQueue(this.orders);
    await Promise.all([closeWhenReady(this.signals), closeWhenReady(this.orders)]);
  }
}
