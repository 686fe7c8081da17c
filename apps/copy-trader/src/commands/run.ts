import { BASE_URL_OPTIONS, OPTIONS, readAdapterExtra, readBaseUrls, readJournal, readMilliseconds, readVenueConcurrency, SESSION_EXIT_CODES } from '../cli/common-options';
import type { CommandDefinition } from '../cli/definition';
import { runSignalsFile } from '../run-command';
import { sessionOutput } from '../terminal';

/** `copy-trader run`: every signal of a file copied to every follower of another. */
export const runCommand: CommandDefinition = {
  name: 'run',
  summary: 'copy each signal of a signals file to every follower of a followers file, exactly once per (signal, follower)',
  details: [
    'Both files are validated in full before any adapter is created. Credentials come from the environment variables the followers file names. Every order is recorded in the journal before its request leaves, so running the same file again after a crash places nothing twice.',
  ],
  options: [
    OPTIONS.followersFile,
    OPTIONS.signalsFile,
    { name: 'dry-run', type: 'boolean', description: 'read markets and balances, size and validate every order exactly as a real run would, and print what would be sent; send nothing and create no journal' },
    OPTIONS.testnet,
    ...BASE_URL_OPTIONS,
    { ...OPTIONS.journal, default: 'copy-trader-journal.db beside the signals file' },
    OPTIONS.noJournal,
    OPTIONS.journalLeaseMs,
    OPTIONS.requestTimeoutMs,
    OPTIONS.venueConcurrency,
    OPTIONS.json,
    OPTIONS.verbose,
  ],
  exitCodes: SESSION_EXIT_CODES,
  async run(args, io) {
    const baseUrls = readBaseUrls(args);
    const venueConcurrency = readVenueConcurrency(args);
    const journal = readJournal(args);
    const journalLeaseMs = readMilliseconds(args, 'journal-lease-ms');
    const extra = readAdapterExtra(args);
    const output = sessionOutput(io, args.string('json'), args.flag('verbose'));
    return runSignalsFile({
      ...output,
      env: io.env,
      testnet: args.flag('testnet'),
      baseUrls,
      venueConcurrency,
      extra,
      followersPath: args.string('followers') ?? '',
      signalsPath: args.string('signals') ?? '',
      dryRun: args.flag('dry-run'),
      journal,
      journalLeaseMs,
      signal: io.signal,
      stop: io.stop,
    });
  },
};
