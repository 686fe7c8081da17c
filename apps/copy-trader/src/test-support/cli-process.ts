import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

import { SignalFanOut } from '@xport/queue-bullmq';
import { RedisVenueState } from '@xport/redis';

import { CLI } from './run-cli';

/** A long-running CLI process (`serve`, `worker`): its output so far, a way to wait for a line, and its exit. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Standard output and standard error, interleaved as they arrived. */
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs` (default 60 s) or once the process exited without it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Starts the built CLI with `args` and only `env` (and PATH) in its environment. */
export function startCli(args: readonly string[], env: Readonly<Record<string, string>>): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { resolve(code); }));
  return {
    child,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match !== null) return match;
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${String(pattern)} in:\n${output.slice(-4000)}`);
        await sleep(20);
      }
    },
  };
}

/** `promise`, or a rejection naming `what()` once `ms` passed. */
export async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => { reject(new Error(`timed out: ${what()}`)); }, ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Removes what `serve` and its workers left in Redis under the queue prefix `queue`: both queues
 * with their jobs, the signals' outcome hashes (kept a week otherwise) and the venue state the
 * workers shared (`--redis`: budgets, breakers and market catalogues).
 */
export async function removeQueue(redisUrl: string, queue: string): Promise<void> {
  const queues = new SignalFanOut({ redisUrl, prefix: queue, followerIds: [], jobIdOf: () => 'unused' });
  await queues.signals.obliterate({ force: true });
  await queues.orders.obliterate({ force: true });
  await queues.close();
  const state = new RedisVenueState({ redis: redisUrl });
  const keys = await state.redis.keys(`${queue}:*`);
  if (keys.length > 0) await state.redis.del(...keys);
  await state.close();
}
