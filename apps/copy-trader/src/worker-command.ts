import type { QueueCommand } from './queue-command';
import { CopyTraderConfigError } from './config-error';
import { integerOption, QUEUE_OPTIONS, QUEUE_OPTIONS_USAGE, redisUrlOf, requiredOption, stringOption } from './queue-command';

/** What the worker needs beyond the command line; `adapterSettings` is where shared venue state (Redis budgets, breakers) plugs in. */
export interface WorkerSettings {
  /** Handed to every adapter beside the worker's own (`extra`: `registry`, `requestBudgets`, …). */
  readonly adapterSettings?: Readonly<Record<string, unknown>> | undefined;
  /** Stalled-job check and lock, ms (tests shorten them). */
  readonly lockDurationMs?: number | undefined;
  readonly stalledIntervalMs?: number | undefined;
}

/**
 * `copy-trader worker` with `settings`: how an app (or a later option) plugs shared venue state
 * into every adapter of the worker, e.g. `createWorkerCommand({ adapterSettings: { registry } })`.
 */
export function createWorkerCommand(settings: WorkerSettings = {}): QueueCommand {
  return {
    name: 'worker',
    summary: 'place the queued follower orders through the adapters, with the PostgreSQL journal',
    usage: `usage: copy-trader worker --followers followers.json --journal postgres://user@host:5432/db [--egress ADDRESS]
                          [--concurrency N] [--lock-ms N] [--redis URL] [--queue NAME] [--http PORT] [--base-url-<venue> URL]
                          [--request-timeout-ms N] [--journal-lease-ms N] [--testnet]

  --egress ADDRESS      send every request to the venues from this local address (one worker per egress IP)
  --concurrency N       follower jobs in flight in this worker (16)
  --lock-ms N           a job's lock, renewed while it runs: a worker that died gives its jobs to
                        the others after about twice this (30000)
${QUEUE_OPTIONS_USAGE}
  SIGTERM or Ctrl-C stops taking jobs, finishes the orders in flight, then closes the connections.`,
    options: { ...QUEUE_OPTIONS, egress: { type: 'string' }, concurrency: { type: 'string' }, 'lock-ms': { type: 'string' } },
    refuses: ['signals', 'dry-run', 'json', 'pending', 'venue-concurrency', 'no-journal'],
    handler: async (own, common, io) => {
      const followersPath = requiredOption(common.followers, 'followers');
      if (common.journal?.kind !== 'postgres') throw new CopyTraderConfigError('usage', ['--journal postgres://…: a worker needs the PostgreSQL journal, which every worker shares']);
      const options = {
        followersPath,
        journalUrl: common.journal.url,
        journalLeaseMs: common.journalLeaseMs,
        egress: typeof own.egress === 'string' ? own.egress : undefined,
        concurrency: integerOption(own.concurrency, 'concurrency', 1, 1000),
        httpPort: integerOption(own.http, 'http', 0, 65_535),
        lockMs: integerOption(own['lock-ms'], 'lock-ms', 1000, 600_000),
        redisUrl: redisUrlOf(own, io.env),
        queue: stringOption(own.queue, 'xport'),
        testnet: common.testnet,
        baseUrls: common.baseUrls,
        requestTimeoutMs: common.requestTimeoutMs,
      };
      return (await import('./worker-run')).runWorker(options, io, settings);
    },
  };
}

/** `copy-trader worker`: places the queued follower orders. */
export const workerCommand: QueueCommand = createWorkerCommand();
