import { checkFollowers } from './check-command';
import { demoFollowerCount, parseCliOptions, required, USAGE } from './cli-options';
import { CopyTraderConfigError } from './config-error';
import { describeError } from './copy-signal';
import { runDemo } from './demo-command';
import { redactMessage } from './redact-message';
import { runSignalsFile } from './run-command';
import type { OutputStream } from './session-printer';

export interface CliIo {
  readonly out: OutputStream;
  readonly err: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT: the run stops between signals and prints what it did. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The whole CLI as a function: returns the exit code. 0 all good; 1 an order (or a credential
 * check) failed; 2 a problem the user fixes in the command line, a file or the environment;
 * 130 stopped by SIGINT.
 */
export async function cliMain(argv: readonly string[], io: CliIo): Promise<number> {
  let verbose = argv.includes('--verbose');
  try {
    const options = parseCliOptions(argv);
    verbose = options.verbose;
    if (options.help || options.command === undefined || options.command === 'help') {
      io.out.write(`${USAGE}\n`);
      return options.command === undefined && !options.help ? 2 : 0;
    }
    const connect = { env: io.env, testnet: options.testnet, baseUrls: options.baseUrls, out: io.out, venueConcurrency: options.venueConcurrency };
    switch (options.command) {
      case 'demo':
        return await runDemo({ out: io.out, verbose, json: options.json, followers: demoFollowerCount(options.followers), signal: io.signal });
      case 'run':
        return await runSignalsFile({
          ...connect,
          followersPath: required(options.followers, '--followers'),
          signalsPath: required(options.signals, '--signals'),
          dryRun: options.dryRun,
          verbose,
          json: options.json,
          signal: io.signal,
        });
      case 'check':
        return await checkFollowers({ ...connect, followersPath: required(options.followers, '--followers') });
      default:
        throw new CopyTraderConfigError('usage', [`unknown command ${JSON.stringify(options.command)}: expected demo, run or check`]);
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
