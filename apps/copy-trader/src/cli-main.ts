import { checkFollowers } from './check-command';
import { demoFollowerCount, parseCliOptions, required, USAGE } from './cli-options';
import { CopyTraderConfigError } from './config-error';
import { describeError } from './copy-signal';
import { runDemo } from './demo-command';
import { listJournal } from './journal-command';
import { redactMessage } from './redact-message';
import { runQueueCommand } from './queue-commands';
import { runSignalsFile } from './run-command';
import type { OutputStream } from './session-printer';

/** The CLI's world: its two output streams, its environment and its stop signal (a test passes its own). */
export interface CliIo {
  readonly out: OutputStream;
  readonly err: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT: the run stops between signals and prints what it did. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Aborted when `out` can no longer be written (its reader closed the pipe): the run stops after
   * the signal in flight, letting its orders finish, and the exit code is 141 as for a process
   * ended by SIGPIPE.
   */
  readonly stop?: AbortSignal | undefined;
}

/** What a shell reports for a process ended by SIGPIPE (128 + 13). */
const OUTPUT_CLOSED_EXIT_CODE = 141;

/**
 * The whole CLI as a function: returns the exit code. 0 all good; 1 an order (or a credential
 * check) failed; 2 a problem the user fixes in the command line, a file or the environment;
 * 130 stopped by SIGINT; 141 stopped because the output was closed.
 */
export async function cliMain(argv: readonly string[], io: CliIo): Promise<number> {
  const code = await runCommand(argv, io);
  return code === 130 && io.stop?.aborted === true && io.signal?.aborted !== true ? OUTPUT_CLOSED_EXIT_CODE : code;
}

async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const queued = await runQueueCommand(argv, io);
    if (queued !== undefined) return queued;
    const options = parseCliOptions(argv);
    verbose = options.verbose;
    if (options.help || options.command === undefined || options.command === 'help') {
      io.out.write(`${USAGE}\n`);
      return options.command === undefined && !options.help ? 2 : 0;
    }
    const extra = options.requestTimeoutMs === undefined ? undefined : { timeoutMs: options.requestTimeoutMs };
    const connect = { env: io.env, testnet: options.testnet, baseUrls: options.baseUrls, out: io.out, venueConcurrency: options.venueConcurrency, extra };
    switch (options.command) {
      case 'demo':
        return await runDemo({ out: io.out, verbose, json: options.json, followers: demoFollowerCount(options.followers), journal: options.journal, signal: io.signal, stop: io.stop });
      case 'run':
        return await runSignalsFile({
          ...connect,
          followersPath: required(options.followers, '--followers'),
          signalsPath: required(options.signals, '--signals'),
          dryRun: options.dryRun,
          journal: options.journal,
          journalLeaseMs: options.journalLeaseMs,
          verbose,
          json: options.json,
          signal: io.signal,
          stop: io.stop,
        });
      case 'check':
        return await checkFollowers({ ...connect, followersPath: required(options.followers, '--followers') });
      case 'journal':
        return await listJournal({ out: io.out, journal: options.journal, signalsPath: options.signals, pending: options.pending, json: options.json });
      default:
        throw new CopyTraderConfigError('usage', [`unknown command ${JSON.stringify(options.command)}: expected demo, run, check or journal`]);
    }
  } catch (error) {
    if (error instanceof CopyTraderConfigError) {
      io.err.write(`copy-trader: ${redactMessage(error.message)}\n`);
      return 2;
    }
    io.err.write(`copy-trader: ${describeError(error)}\n`);
    if (verbose && error instanceof Error && error.stack !== undefined) io.err.write(`${redactMessage(error.stack)}\n`);
    return 1;
  }
}
