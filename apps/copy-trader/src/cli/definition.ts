import type { CliIo } from '../cli-main';

/** One option of a command: what parsing, help and suggestions all read. */
export interface OptionDefinition {
  /** Without the leading `--`. */
  readonly name: string;
  /** One letter, given as `-h`. */
  readonly short?: string | undefined;
  /** `boolean`: a flag, given alone; `string`: takes the next argument (or `--name=value`). */
  readonly type: 'boolean' | 'string';
  /** What the value is, in help (`FILE`, `N`, `URL`). */
  readonly value?: string | undefined;
  readonly description: string;
  /** The default, as help prints it; absent when there is none worth saying. */
  readonly default?: string | undefined;
  /** The command refuses to run without it. */
  readonly required?: boolean | undefined;
}

/** One exit code a command may end with, and what it means there. */
export interface ExitCode {
  readonly code: number;
  readonly meaning: string;
}

/** The parsed command line of one command: only its own options can be read. */
export interface ParsedArgs {
  /** A string option's value; undefined when not given. */
  string(name: string): string | undefined;
  /** True when a boolean option was given. */
  flag(name: string): boolean;
}

/**
 * A command of the CLI: its name, one-line summary, options and exit codes, and the handler. The
 * parser, `--help`, the top-level usage and the "did you mean" suggestions are derived from these.
 */
export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  /** Paragraphs printed under the usage line in `<name> --help`. */
  readonly details?: readonly string[] | undefined;
  readonly options: readonly OptionDefinition[];
  readonly exitCodes: readonly ExitCode[];
  /** Runs the command; returns its exit code. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** The exit codes every command shares. */
export const EXIT_USAGE: ExitCode = { code: 2, meaning: 'something to fix in the command line, a file or the environment (one line per problem, no stack trace)' };
export const EXIT_INTERRUPTED: ExitCode = { code: 130, meaning: 'stopped by Ctrl-C (between signals; a second Ctrl-C quits at once)' };
export const EXIT_OUTPUT_CLOSED: ExitCode = { code: 141, meaning: 'stopped because the output was closed (`| head`): the signal in flight finishes, no later one starts' };
