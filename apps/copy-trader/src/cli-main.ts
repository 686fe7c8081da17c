import { commandHelp, topLevelHelp } from './cli/help';
import { parseCommandLine } from './cli/parse-args';
import { COMMANDS } from './commands';
import { CopyTraderConfigError } from './config-error';
import { describeError } from './copy-signal';
import { redactMessage } from './redact-message';
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
  /** What `--version` prints (the bin passes its package.json's version). */
  readonly version?: string | undefined;
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
  // Known before parsing, so that a parse error of `--verbose` runs also prints what it can.
  const verbose = argv.includes('--verbose');
  try {
    const line = parseCommandLine(argv, COMMANDS);
    switch (line.kind) {
      case 'help':
        io.out.write(`${line.command === undefined ? topLevelHelp(COMMANDS) : commandHelp(line.command)}\n`);
        return 0;
      case 'version':
        io.out.write(`${io.version ?? 'unknown'}\n`);
        return 0;
      case 'missing':
        io.err.write(`${topLevelHelp(COMMANDS)}\n`);
        return 2;
      case 'run':
        return await line.command.run(line.args, io);
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
