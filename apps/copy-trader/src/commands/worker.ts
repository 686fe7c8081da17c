import { isIP } from 'node:net';

import { BASE_URL_OPTIONS, OPTIONS, readBaseUrls, readJournal, readMilliseconds } from '../cli/common-options';
import type { CommandDefinition } from '../cli/definition';
import { EXIT_USAGE } from '../cli/definition';
import { usageError } from '../cli/parse-args';
import type { WorkerOptions, WorkerSettings } from '../worker-run';

import { QUEUE_OPTIONS, readInteger, readQueueName, readRedisUrl } from './queue-options';

/**
 * `copy-trader worker` with `settings`: how an app plugs more into every adapter of the worker,
 * e.g. `createWorkerCommand({ adapterSettings: { registry } })`.
 */
export function createWorkerCommand(settings: WorkerSettings = {}): CommandDefinition {
  return {
    name: 'worker',
    summary: 'place the queued follower orders (from `serve`) through the adapters, with the PostgreSQL journal every worker shares',
    details: [
      'A worker killed mid-order gives its jobs to another once their lock expires; the PostgreSQL journal keeps each order to one. SIGTERM or Ctrl-C stops taking jobs, finishes the orders in flight, then closes the connections.',
      "With --redis given, the worker also keeps the venues' request budgets, circuit breakers and market catalogues in that Redis (@xport/redis), shared with every worker given the same --redis and --queue: workers behind one --egress address spend one IP budget.",
    ],
    options: [
      OPTIONS.followersFile,
      { ...OPTIONS.journal, value: 'URL', required: true, description: 'the PostgreSQL journal every worker shares: postgres://user@host:5432/db' },
      { name: 'egress', type: 'string', value: 'ADDRESS', description: 'send every request to the venues from this local address (one worker per egress IP)' },
      { name: 'concurrency', type: 'string', value: 'N', description: 'follower jobs in flight in this worker, 1 to 1000', default: '16' },
      { name: 'lock-ms', type: 'string', value: 'N', description: "a job's lock, renewed while it runs, 1000 to 600000 ms: a worker that died gives its jobs to the others after about twice this", default: '30000' },
      { ...QUEUE_OPTIONS.redis, description: "the Redis server of the queues; when given, also where this worker shares the venues' budgets, breakers and markets with the other workers" },
      QUEUE_OPTIONS.queue,
      QUEUE_OPTIONS.http,
      OPTIONS.testnet,
      ...BASE_URL_OPTIONS,
      OPTIONS.journalLeaseMs,
      OPTIONS.requestTimeoutMs,
    ],
    exitCodes: [{ code: 0, meaning: 'stopped by SIGTERM or Ctrl-C after the orders in flight finished' }, EXIT_USAGE],
    async run(args, io) {
      const baseUrls = readBaseUrls(args);
      const journal = readJournal(args, { noJournal: false });
      if (journal?.kind !== 'postgres') throw usageError('--journal: a worker needs the PostgreSQL journal (postgres://…), which every worker shares', 'copy-trader worker --help');
      const egress = args.string('egress');
      if (egress !== undefined && isIP(egress) === 0) throw usageError(`--egress: expected a local IP address, got ${JSON.stringify(egress)}`, 'copy-trader worker --help');
      const options: WorkerOptions = {
        followersPath: args.string('followers') ?? '',
        journalUrl: journal.url,
        journalLeaseMs: readMilliseconds(args, 'journal-lease-ms'),
        egress,
        concurrency: readInteger(args, 'concurrency', 1, 1000),
        httpPort: readInteger(args, 'http', 0, 65_535),
        lockMs: readInteger(args, 'lock-ms', 1000, 600_000),
        redisUrl: readRedisUrl(args, io.env),
        sharedVenueState: args.string('redis') !== undefined,
        queue: readQueueName(args),
        testnet: args.flag('testnet'),
        baseUrls,
        requestTimeoutMs: readMilliseconds(args, 'request-timeout-ms'),
      };
      // Loaded only now: `run` and `demo` load no BullMQ, no PostgreSQL client and no Redis client.
      return (await import('../worker-run')).runWorker(options, io, settings);
    },
  };
}

/** `copy-trader worker`: places the queued follower orders. */
export const workerCommand: CommandDefinition = createWorkerCommand();
