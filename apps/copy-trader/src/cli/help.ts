import type { CommandDefinition, ExitCode, OptionDefinition } from './definition';
import { GLOBAL_OPTIONS } from './parse-args';

const WIDTH = 100;

/** Wraps `text` to `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  return wrapTokens(text.split(/\s+/), width, indent);
}

/** Wraps tokens (words, or `[--option VALUE]` groups kept whole) to `width` columns. */
function wrapTokens(tokens: readonly string[], width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of tokens) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function optionLabel(option: OptionDefinition): string {
  const names = option.short === undefined ? `--${option.name}` : `-${option.short}, --${option.name}`;
  return option.type === 'string' ? `${names} ${option.value ?? 'VALUE'}` : names;
}

function optionLines(options: readonly OptionDefinition[]): string[] {
  const labels = options.map(optionLabel);
  const column = Math.min(30, Math.max(...labels.map((label) => label.length)) + 4);
  return options.map((option, index) => {
    const label = labels[index] ?? '';
    const notes = [option.required === true ? 'required' : undefined, option.default === undefined ? undefined : `default: ${option.default}`].filter((note) => note !== undefined);
    const text = `${option.description}${notes.length === 0 ? '' : ` (${notes.join('; ')})`}`;
    const start = label.length + 2 >= column ? `  ${label}\n${' '.repeat(column)}` : `  ${label.padEnd(column - 2)}`;
    return `${start}${wrap(text, WIDTH, column)}`;
  });
}

function exitCodeLines(codes: readonly ExitCode[]): string[] {
  return codes.map((exit) => `  ${String(exit.code).padEnd(5)}${wrap(exit.meaning, WIDTH, 7)}`);
}

/** Every option of a command, required ones first and the others in brackets, wrapped under the command. */
function synopsis(command: CommandDefinition): string {
  const required = command.options.filter((option) => option.required === true).map(optionLabel);
  const optional = command.options.filter((option) => option.required !== true).map((option) => `[${optionLabel(option)}]`);
  const head = `  copy-trader ${command.name}`;
  return `${head} ${wrapTokens([...required, ...optional], WIDTH, head.length + 1)}`;
}

/** `copy-trader <command> --help`. */
export function commandHelp(command: CommandDefinition): string {
  return [
    `copy-trader ${command.name}: ${command.summary}`,
    '',
    `usage: copy-trader ${command.name}${command.options.filter((option) => option.required === true).map((option) => ` ${optionLabel(option)}`).join('')} [options]`,
    ...(command.details ?? []).flatMap((paragraph) => ['', wrap(paragraph, WIDTH, 0)]),
    '',
    'options:',
    ...optionLines([...command.options, ...GLOBAL_OPTIONS]),
    '',
    'exit codes:',
    ...exitCodeLines(command.exitCodes),
  ].join('\n');
}

/** `copy-trader --help`: every command with its summary and synopsis. */
export function topLevelHelp(commands: readonly CommandDefinition[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'copy-trader: copies a master trader\'s signals to many follower accounts on Binance, Bybit and Bitget',
    '',
    'usage: copy-trader <command> [options]',
    '',
    'commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width + 2)}${wrap(command.summary, WIDTH, width + 4)}`),
    '',
    ...commands.map(synopsis),
    '',
    'options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'exit codes (each command\'s --help says which it uses):',
    ...exitCodeLines(mergeExitCodes(commands)),
    '',
    '`copy-trader <command> --help` describes every option of a command, with its default.',
  ].join('\n');
}

/** Every exit code some command uses, the first meaning given to each. */
function mergeExitCodes(commands: readonly CommandDefinition[]): ExitCode[] {
  const byCode = new Map<number, ExitCode>();
  for (const command of commands) for (const exit of command.exitCodes) if (!byCode.has(exit.code)) byCode.set(exit.code, exit);
  return [...byCode.values()].sort((a, b) => a.code - b.code);
}
