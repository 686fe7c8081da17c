import { OPTIONS } from '../cli/common-options';
import type { CommandDefinition } from '../cli/definition';
import { EXIT_INTERRUPTED, EXIT_USAGE } from '../cli/definition';
import { usageError } from '../cli/parse-args';
import type { ServeOptions } from '../serve-run';

import { QUEUE_OPTIONS, readInteger, readQueueName, readRedisUrl } from './queue-options';

/** `copy-trader serve`: takes signals into the queue and fans each out to one job per follower. */
export const serveCommand: CommandDefinition = {
  name: 'serve',
  summary: "queue signals (a file, standard input or HTTP) on BullMQ and fan each out to one job per follower; print each signal's report",
  details: [
    'Workers (`copy-trader worker`) place the orders. Without --http, serve exits once every signal it read has its report; with --http it also takes POST /signals (the signals file format) until SIGTERM or Ctrl-C.',
  ],
  options: [
    OPTIONS.followersFile,
    { ...OPTIONS.signalsFile, required: false, value: 'FILE|-', description: 'signals in the signals file format (`-` reads standard input)' },
    { ...QUEUE_OPTIONS.http, description: 'POST /signals on 127.0.0.1:PORT, beside GET /healthz and /metrics (0: any free port)' },
    QUEUE_OPTIONS.redis,
    QUEUE_OPTIONS.queue,
    OPTIONS.json,
    OPTIONS.verbose,
  ],
  exitCodes: [
    { code: 0, meaning: 'every order placed or skipped' },
    { code: 1, meaning: 'an order failed (listed in the summary)' },
    EXIT_USAGE,
    { ...EXIT_INTERRUPTED, meaning: 'stopped (SIGTERM or Ctrl-C) before every signal had its report' },
  ],
  async run(args, io) {
    if (args.string('signals') === undefined && args.string('http') === undefined) throw usageError('give --signals FILE (or - for standard input), --http PORT, or both', 'copy-trader serve --help');
    const options: ServeOptions = {
      followersPath: args.string('followers') ?? '',
      signalsPath: args.string('signals'),
      httpPort: readInteger(args, 'http', 0, 65_535),
      redisUrl: readRedisUrl(args, io.env),
      queue: readQueueName(args),
      verbose: args.flag('verbose'),
      json: args.string('json'),
    };
    // Loaded only now: `run` and `demo` load no BullMQ.
    return (await import('../serve-run')).runServe(options, io);
  },
};
