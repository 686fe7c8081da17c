import { CopyTraderConfigError } from '../config-error';

import type { CommandDefinition, OptionDefinition, ParsedArgs } from './definition';
import { closestMatch } from './edit-distance';

/** Options every command takes, and the CLI without a command. */
export const GLOBAL_OPTIONS: readonly OptionDefinition[] = [
  { name: 'help', short: 'h', type: 'boolean', description: 'print this help and exit 0' },
  { name: 'version', type: 'boolean', description: "print the CLI's version and exit 0" },
];

/** What the command line asked for. */
export type CommandLine =
  | { readonly kind: 'help'; readonly command?: CommandDefinition | undefined }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly command: CommandDefinition; readonly args: ParsedArgs }
  /** No command at all: the usage, exit 2. */
  | { readonly kind: 'missing' };

/** A usage problem, in the wording every existing message of the CLI uses. */
export function usageError(message: string, helpCommand = 'copy-trader --help'): CopyTraderConfigError {
  return new CopyTraderConfigError('usage', [`${message} (${helpCommand} lists the options)`]);
}

/** `a`, `a or b`, `a, b or c`. */
export function listWithOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/**
 * Parses `argv` against the command definitions: the command is the first argument that is not an
 * option; its options are `--name value`, `--name=value` or, for flags, `--name`. Every problem is a
 * CopyTraderConfigError in the CLI's own words, with a suggestion for a near miss.
 */
export function parseCommandLine(argv: readonly string[], commands: readonly CommandDefinition[]): CommandLine {
  const commandIndex = argv.findIndex((arg) => !arg.startsWith('-') || arg === '-');
  const name = commandIndex === -1 ? undefined : argv[commandIndex];
  const command = name === undefined ? undefined : commands.find((candidate) => candidate.name === name);
  if (name !== undefined && command === undefined) {
    const suggestion = closestMatch(name, commands.map((candidate) => candidate.name));
    throw new CopyTraderConfigError('usage', [
      `unknown command ${JSON.stringify(name)}: expected ${listWithOr(commands.map((candidate) => candidate.name))}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`,
    ]);
  }
  const options = [...GLOBAL_OPTIONS, ...(command?.options ?? [])];
  const helpCommand = command === undefined ? 'copy-trader --help' : `copy-trader ${command.name} --help`;
  const values = new Map<string, string | boolean>();
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (index === commandIndex) continue;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const equals = long ? arg.indexOf('=') : -1;
    const given = long ? arg.slice(2, equals === -1 ? undefined : equals) : arg.slice(1);
    const option = long ? options.find((candidate) => candidate.name === given) : options.find((candidate) => candidate.short === given);
    // The value after `=` is never echoed: it may be a credential given to a misspelt option.
    if (option === undefined) throw unknownOption(long ? `--${given}` : arg, long ? given : undefined, command, commands, options, helpCommand);
    if (option.type === 'boolean') {
      if (equals !== -1) throw usageError(`--${option.name} takes no value`, helpCommand);
      values.set(option.name, true);
      continue;
    }
    let value: string | undefined = equals === -1 ? undefined : arg.slice(equals + 1);
    if (value === undefined) {
      const next = argv[index + 1];
      // `--json --verbose` is a forgotten value, not a report written to a file named `--verbose`.
      if (next === undefined || (next.startsWith('-') && next !== '-') || index + 1 === commandIndex) throw usageError(`--${option.name} needs a value (${option.value ?? 'a value'})`, helpCommand);
      value = next;
      index += 1;
    }
    values.set(option.name, value);
  }
  if (positionals.length > 0) throw usageError(`expected one command, got ${[name ?? '', ...positionals].join(' ').trim()}`, helpCommand);
  if (values.get('help') === true) return { kind: 'help', command };
  if (values.get('version') === true) return { kind: 'version' };
  if (command === undefined) return { kind: 'missing' };
  for (const option of command.options) {
    const value = values.get(option.name);
    if (option.required === true && (value === undefined || value === '')) throw usageError(`--${option.name} is required`);
  }
  return { kind: 'run', command, args: argsOf(command, values) };
}

function argsOf(command: CommandDefinition, values: ReadonlyMap<string, string | boolean>): ParsedArgs {
  const known = (name: string, type: OptionDefinition['type']): void => {
    // A handler reading an option its definition does not declare is a bug in the CLI, not a user error.
    if (!command.options.some((option) => option.name === name && option.type === type)) throw new Error(`${command.name} reads --${name}, which it does not declare as a ${type} option`);
  };
  return {
    string: (name) => {
      known(name, 'string');
      const value = values.get(name);
      return typeof value === 'string' ? value : undefined;
    },
    flag: (name) => {
      known(name, 'boolean');
      return values.get(name) === true;
    },
  };
}

function unknownOption(
  arg: string,
  given: string | undefined,
  command: CommandDefinition | undefined,
  commands: readonly CommandDefinition[],
  options: readonly OptionDefinition[],
  helpCommand: string,
): CopyTraderConfigError {
  const where = command === undefined ? '' : ` for ${command.name}`;
  if (given !== undefined) {
    const elsewhere = commands.filter((other) => other !== command && other.options.some((option) => option.name === given)).map((other) => other.name);
    if (command !== undefined && elsewhere.length > 0) return usageError(`${arg} is not an option of ${command.name} (it is one of ${listWithOr(elsewhere)})`, helpCommand);
    const suggestion = closestMatch(given, options.map((option) => option.name));
    if (suggestion !== undefined) return usageError(`unknown option ${arg}${where}; did you mean --${suggestion}?`, helpCommand);
  }
  return usageError(`unknown option ${arg}${where}`, helpCommand);
}
