import { VENUE_NAMES } from '@xport/venues';

import type { QueueCommand } from './queue-command';
import { integerOption, QUEUE_OPTIONS, QUEUE_OPTIONS_USAGE, redisUrlOf, requiredOption, stringOption } from './queue-command';

/** `copy-trader serve`: takes signals into the queue and fans each out to one job per follower. */
export const serveCommand: QueueCommand = {
  name: 'serve',
  summary: 'queue signals (a file, stdin or HTTP) and fan each out to one job per follower; print each signal\'s report',
  usage: `usage: copy-trader serve --followers followers.json [--signals FILE|-] [--http PORT] [--redis URL] [--queue NAME] [--json report.json] [--verbose]

  --signals FILE|-      signals in the signals file format (- reads stdin); without --http, serve exits once
                        each has its report
  --http PORT           also POST /signals (the same format) on 127.0.0.1:PORT, beside /healthz and /metrics
${QUEUE_OPTIONS_USAGE}`,
  options: QUEUE_OPTIONS,
  refuses: ['dry-run', 'testnet', 'journal', 'no-journal', 'journal-lease-ms', 'request-timeout-ms', 'venue-concurrency', 'pending', ...VENUE_NAMES.map((venue) => `base-url-${venue}`)],
  handler: async (own, common, io) => {
    const options = {
      followersPath: requiredOption(common.followers, 'followers'),
      signalsPath: common.signals,
      httpPort: integerOption(own.http, 'http', 0, 65_535),
      redisUrl: redisUrlOf(own, io.env),
      queue: stringOption(own.queue, 'xport'),
      verbose: common.verbose,
      json: common.json,
    };
    return (await import('./serve-run')).runServe(options, io);
  },
};
