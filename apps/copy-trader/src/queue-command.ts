import type { CliIo } from './cli-main';
import type { CliOptions } from './cli-options';
import { parseCliOptions } from './cli-options';
import { CopyTraderConfigError } from './config-error';

/** The values of a command's own options, by name (`--egress 127.0.0.2` → `{ egress: '127.0.0.2' }`). */
export type OwnOptionValues = Readonly<Record<string, string | boolean | undefined>>;

/**
 * A command of the queue engine (`serve`, `worker`): its name, one-line summary, usage, the options
 * only it takes, and its handler. Every other option (`--followers`, `--journal`, `--base-url-<venue>`, …)
 * is read and checked by the common option table, so both commands take them as `run` does.
 */
export interface QueueCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;
  /** Options of the common table this command has no use for: refused rather than ignored. */
  readonly refuses: readonly string[];
  readonly handler: (own: OwnOptionValues, common: CliOptions, io: CliIo) => Promise<number>;
}

function usageError(message: string): CopyTraderConfigError {
  return new CopyTraderConfigError('usage', [`${message} (copy-trader <command> --help lists the options)`]);
}

/** Splits `argv` (after the command) into the command's own options and the rest, then checks the rest with the common table. */
export function parseQueueCommandArgs(command: QueueCommand, argv: readonly string[]): { readonly own: OwnOptionValues; readonly common: CliOptions } {
  const own: Record<string, string | boolean | undefined> = {};
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    const option = match === null ? undefined : command.options[match[1] ?? ''];
    if (match !== null && command.refuses.includes(match[1] ?? '')) throw usageError(`--${match[1] ?? ''}: not an option of copy-trader ${command.name}`);
    if (match === null || option === undefined) {
      rest.push(arg);
      continue;
    }
    const name = match[1] ?? '';
    if (own[name] !== undefined) throw usageError(`--${name}: given twice`);
    if (option.type === 'boolean') {
      if (match[2] !== undefined) throw usageError(`--${name} takes no value`);
      own[name] = true;
      continue;
    }
    const value = match[2] ?? argv[index + 1];
    if (value === undefined || (match[2] === undefined && value.startsWith('--'))) throw usageError(`--${name}: expected a value`);
    if (match[2] === undefined) index += 1;
    own[name] = value;
  }
  const common = parseCliOptions(rest);
  if (common.command !== undefined) throw usageError(`copy-trader ${command.name}: unexpected argument ${JSON.stringify(common.command)}`);
  return { own, common };
}

/** An integer option within bounds, or undefined when not given. */
export function integerOption(value: string | boolean | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || number < min || number > max) throw usageError(`--${option}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return number;
}

/** A string option the command cannot run without. */
export function requiredOption(value: string | undefined, option: string): string {
  if (value === undefined || value === '') throw new CopyTraderConfigError('usage', [`--${option} is required`]);
  return value;
}

/** A string option, or `fallback`. */
export function stringOption(value: string | boolean | undefined, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** The options both commands take: where the queues are. */
export const QUEUE_OPTIONS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  http: { type: 'string' },
} as const;

export const QUEUE_OPTIONS_USAGE = `  --redis URL           the Redis server of the queues (default: $XPORT_REDIS_URL or redis://127.0.0.1:6379)
  --queue NAME          the queues' key prefix in Redis (default xport); serve and its workers use the same
  --http PORT           GET /healthz and /metrics (Prometheus) on 127.0.0.1:PORT`;

/** `--redis`, or the environment's `XPORT_REDIS_URL`, or the local server. */
export function redisUrlOf(own: OwnOptionValues, env: CliIo['env']): string {
  return stringOption(own.redis, env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379');
}

/** Resolves on the first SIGTERM or abort of `signal`. */
export function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGTERM', done);
    if (signal?.aborted === true) done();
    signal?.addEventListener('abort', done, { once: true });
  });
}
