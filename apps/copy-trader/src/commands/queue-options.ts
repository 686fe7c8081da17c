import type { CliIo } from '../cli-main';
import type { OptionDefinition, ParsedArgs } from '../cli/definition';
import { usageError } from '../cli/parse-args';

/** The options `serve` and `worker` share: where the queues are. */
export const QUEUE_OPTIONS = {
  redis: { name: 'redis', type: 'string', value: 'URL', description: 'the Redis server of the queues', default: '$XPORT_REDIS_URL, else redis://127.0.0.1:6379' },
  queue: { name: 'queue', type: 'string', value: 'NAME', description: "the queues' key prefix in Redis; serve and its workers use the same", default: 'xport' },
  http: { name: 'http', type: 'string', value: 'PORT', description: 'GET /healthz and /metrics (Prometheus) on 127.0.0.1:PORT (0: any free port)' },
} as const satisfies Record<string, OptionDefinition>;

/** An integer option within bounds, or undefined when not given. */
export function readInteger(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const value = args.string(name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw usageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return number;
}

/** `--redis`, or the environment's `XPORT_REDIS_URL`, or the local server. */
export function readRedisUrl(args: ParsedArgs, env: CliIo['env']): string {
  return args.string('redis') ?? env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** `--queue`, or `xport`. */
export function readQueueName(args: ParsedArgs): string {
  return args.string('queue') ?? 'xport';
}
