import { PostgresOrderJournal } from '@xport/journal-postgres';
import type { FollowerOutcome, FollowerJob } from '@xport/queue-bullmq';
import { FanOutMetrics, FollowerJobWorker, RetryLaterError, startOpsServer } from '@xport/queue-bullmq';
import type { VenueEventLike } from '@xport/queue-bullmq';

import type { CliIo } from './cli-main';
import type { Follower } from './copy-signal';
import { DEFAULT_LIMITS, describeError, FanOut } from './copy-signal';
import { createFollowers } from './create-followers';
import type { Venue } from './followers-config';
import { parseFollowersJson } from './followers-config';
import { describeJournal } from './journal-store';
import { stopRequested } from './stop-requested';
import { readInputFile } from './read-input-file';
import { parseSignalsJsonl } from './signals';

/** Fan-outs kept per worker: one per recent signal (its equity reads are that signal's, as in `run`). */
const RECENT_SIGNALS = 8;


/**
 * One follower job through the copy-trader's own per-follower path (`FanOut.copySignal`), with the
 * journal: a failure while the journal does not answer is given back to the queue (nothing was sent:
 * the journal's `begin` comes first), any other outcome is recorded as the report shows it.
 */
export function followerJobProcessor(followers: readonly Follower[], journal: PostgresOrderJournal): (job: FollowerJob) => Promise<FollowerOutcome> {
  const byId = new Map(followers.map((follower) => [follower.config.id, follower]));
  const fanOuts = new Map<string, FanOut>();
  const fanOutFor = (signalId: string): FanOut => {
    let fanOut = fanOuts.get(signalId);
    if (fanOut === undefined) {
      fanOut = new FanOut(DEFAULT_LIMITS);
      fanOuts.set(signalId, fanOut);
      for (const old of fanOuts.keys()) if (fanOuts.size > RECENT_SIGNALS) fanOuts.delete(old);
    }
    return fanOut;
  };
  return async (job) => {
    const follower = byId.get(job.followerId);
    if (follower === undefined) {
      const reason = `follower ${job.followerId} is not in this worker's followers file`;
      return { status: 'failed', venue: 'unknown', result: JSON.stringify({ followerId: job.followerId, status: 'failed', reason }) };
    }
    const [signal] = parseSignalsJsonl(job.payload, `signal ${job.signalId}`);
    if (signal === undefined) throw new Error(`signal ${job.signalId}: empty payload`);
    const [result] = await fanOutFor(signal.id).copySignal(signal, [follower]);
    if (result === undefined) throw new Error('no result');
    if (result.status === 'failed') {
      // A failure is final, as in `run`, unless the journal says the order may still be in flight or
      // exists: no answer (nothing was sent, since the journal's begin comes first), an entry left
      // pending or unknown (another worker holds it, or stopped mid-order: the retry looks the order
      // up first), or placed (another worker holding the same job, its lock lost under load, placed it
      // while this one was refused the claim: the retry reports that order from the journal).
      const key = { exchange: follower.config.exchange, account: follower.config.id, clientOrderId: result.clientOrderId };
      const entry = await journal.get(key).catch((error: unknown) => {
        throw new RetryLaterError('journal_unreachable', `the order journal does not answer (${describeError(error)}); nothing was sent: retrying later`);
      });
      if (entry?.state === 'pending' || entry?.state === 'unknown' || entry?.state === 'placed') throw new RetryLaterError('order_in_doubt', `${result.reason ?? 'failed'}: the journal holds ${result.clientOrderId} as ${entry.state}; retrying later`);
    }
    return { status: result.status, venue: result.exchange, result: JSON.stringify(result) };
  };
}

/** What the worker needs beyond the command line. */
export interface WorkerSettings {
  /** Handed to every adapter beside the worker's own (`extra`: `registry`, `venueState`, …); wins over `--redis`'s shared state. */
  readonly adapterSettings?: Readonly<Record<string, unknown>> | undefined;
  /** Stalled-job check and lock, ms (tests shorten them). */
  readonly lockDurationMs?: number | undefined;
  readonly stalledIntervalMs?: number | undefined;
}

/** What `copy-trader worker` runs with, read and checked from its command line. */
export interface WorkerOptions {
  readonly followersPath: string;
  /** The PostgreSQL journal every worker shares. */
  readonly journalUrl: string;
  readonly journalLeaseMs?: number | undefined;
  /** The local address every request to the venues leaves from (an IP address: the command checks it). */
  readonly egress?: string | undefined;
  /** Follower jobs in flight. Default 16. */
  readonly concurrency?: number | undefined;
  /** `/healthz` and `/metrics` on 127.0.0.1 at this port (0: any free one). */
  readonly httpPort?: number | undefined;
  /** A job's lock, ms. Default 30,000. */
  readonly lockMs?: number | undefined;
  readonly redisUrl: string;
  /**
   * Keep the venues' request budgets, breakers and market catalogues in `redisUrl` (`RedisVenueState`,
   * egress = `egress`, keys under `<queue>:venue:`), shared with every worker of the same queue.
   */
  readonly sharedVenueState?: boolean | undefined;
  /** The queues' key prefix. */
  readonly queue: string;
  readonly testnet?: boolean | undefined;
  readonly baseUrls?: Partial<Record<Venue, string>> | undefined;
  readonly requestTimeoutMs?: number | undefined;
}

/** `copy-trader worker` (loaded only when the command runs). */
export async function runWorker(options: WorkerOptions, io: CliIo, settings: WorkerSettings = {}): Promise<number> {
  const { egress, httpPort } = options;
  const concurrency = options.concurrency ?? 16;
  const lockMs = options.lockMs ?? settings.lockDurationMs;
  const configs = parseFollowersJson(await readInputFile(options.followersPath, 'followers file'), options.followersPath);

  const metrics = new FanOutMetrics();
  // Loaded only when asked for: a worker without shared state loads no ioredis of its own.
  const venueState =
    options.sharedVenueState === true
      ? new (await import('@xport/redis')).RedisVenueState({ redis: options.redisUrl, keyPrefix: `${options.queue}:venue:`, egress })
      : undefined;
  // Not migrated up front: a worker started while PostgreSQL is down waits for it, job by job.
  const journal = new PostgresOrderJournal({ connectionString: options.journalUrl });
  const extra = {
    ...(options.requestTimeoutMs !== undefined && { timeoutMs: options.requestTimeoutMs }),
    ...(egress !== undefined && { localAddress: egress }),
    // Every adapter's rate-limit refusals (orders' too), budget waits and breaker changes; with a
    // shared venue state the breakers' changes are those the store reports to this worker.
    onVenueEvent: (event: VenueEventLike) => {
      metrics.venueEvent(event);
    },
    ...(venueState !== undefined && { venueState }),
    ...settings.adapterSettings,
  };
  let followers: Follower[];
  try {
    followers = createFollowers(configs, { env: io.env, testnet: options.testnet, baseUrls: options.baseUrls, extra, journal: { store: journal, leaseMs: options.journalLeaseMs } });
  } catch (error) {
    // A follower the adapters refuse: close what is open, or its connection keeps the process alive after the error is printed.
    await journal.close();
    await venueState?.close();
    throw error;
  }
  const worker = new FollowerJobWorker({
    redisUrl: options.redisUrl,
    prefix: options.queue,
    concurrency,
    lockDurationMs: lockMs,
    stalledIntervalMs: settings.stalledIntervalMs ?? lockMs,
    metrics,
    process: followerJobProcessor(followers, journal),
  });
  const ops =
    httpPort === undefined
      ? undefined
      : await startOpsServer({
          port: httpPort,
          metrics,
          health: async () => {
            const redis = await worker.redisAnswers();
            return { ok: redis && worker.worker.isRunning(), redis };
          },
        });
  const running = worker.run();
  io.out.write(`worker: ${followers.length} followers, ${concurrency} jobs at a time${egress === undefined ? '' : `, from ${egress}`}${venueState === undefined ? '' : '; venue budgets, breakers and markets shared through Redis'}; ${describeJournal({ kind: 'postgres', url: options.journalUrl })}${ops === undefined ? '' : `; ${ops.url}/healthz, ${ops.url}/metrics`}\n`);
  await Promise.race([stopRequested(io.signal), running]);
  io.out.write('worker: stopping: finishing the orders in flight\n');
  await worker.close();
  await running.catch(() => undefined);
  await ops?.close();
  await Promise.allSettled(followers.map((follower) => follower.port.close()));
  await journal.close();
  await venueState?.close();
  io.out.write('worker: stopped\n');
  return 0;
}
