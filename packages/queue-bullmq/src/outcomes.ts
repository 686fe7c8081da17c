import type { RedisClient } from 'bullmq';

/** What a follower job ended with: the app's status, the venue, and the app's own JSON of the result. */
export interface FollowerOutcome {
  /** `placed`, `skipped`, `failed`, or whatever statuses the app uses. */
  readonly status: string;
  readonly venue: string;
  /** The app's record of the result, as JSON text (the copy-trader's `FollowerResult`). */
  readonly result: string;
}

/** One follower job as the worker's `process` receives it. */
export interface FollowerJob {
  readonly signalId: string;
  readonly followerId: string;
  /** The signal as the app submitted it (JSON text). */
  readonly payload: string;
  /** When the signal was submitted (epoch ms): the start of its signal → order latency. */
  readonly submittedAt: number;
  /** The job's id: the pair's idempotency key as the app derived it. */
  readonly jobId: string;
  /** Attempts before this one (a retry after a failure, or after a worker stopped mid-job). */
  readonly attemptsMade: number;
}

/** A signal's results so far: how many followers it was fanned out to, and each finished one's outcome. */
export interface SignalResults {
  /** Undefined until the fan-out ran. */
  readonly expected: number | undefined;
  readonly submittedAt: number | undefined;
  readonly outcomes: ReadonlyMap<string, FollowerOutcome>;
}

/** The Redis keys of one signal's aggregate: a hash of its fan-out, and a hash of outcomes by follower id. */
export function signalKeys(prefix: string, signalId: string): { readonly meta: string; readonly outcomes: string } {
  return { meta: `${prefix}:xport-signal:${signalId}`, outcomes: `${prefix}:xport-signal:${signalId}:outcomes` };
}

/**
 * The commands BullMQ's client interface lacks, as Lua scripts it runs (it takes a hash's fields as
 * an object and runs other commands as scripts it is given), each defined once per client.
 */
const SCRIPTS = {
  xportHsetWithTtl: "for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end\nredis.call('EXPIRE', KEYS[1], ARGV[1])\nreturn 1",
  xportHlen: "return redis.call('HLEN', KEYS[1])",
} as const;
const defined = new WeakMap<RedisClient, Set<string>>();

async function runScript(client: RedisClient, name: keyof typeof SCRIPTS, key: string, args: readonly (string | number)[]): Promise<unknown> {
  const names = defined.get(client) ?? new Set<string>();
  if (!names.has(name)) {
    client.defineCommand(name, { numberOfKeys: 1, lua: SCRIPTS[name] });
    names.add(name);
    defined.set(client, names);
  }
  return client.runCommand(name, [key, ...args]);
}

/** Sets hash fields and the hash's time to live in one step. */
export async function hsetWithTtl(client: RedisClient, key: string, fields: Readonly<Record<string, string | number>>, ttlSeconds: number): Promise<void> {
  await runScript(client, 'xportHsetWithTtl', key, [ttlSeconds, ...Object.entries(fields).flat()]);
}

/** True when Redis answers a read. */
export async function redisAnswers(client: RedisClient, prefix: string): Promise<boolean> {
  await client.get(`${prefix}:xport-health`);
  return true;
}

export async function recordOutcome(client: RedisClient, prefix: string, signalId: string, followerId: string, outcome: FollowerOutcome, keepSeconds: number): Promise<void> {
  await hsetWithTtl(client, signalKeys(prefix, signalId).outcomes, { [followerId]: JSON.stringify(outcome) }, keepSeconds);
}

/** How many followers of a signal have an outcome so far: one count, without reading the outcomes. */
export async function countOutcomes(client: RedisClient, prefix: string, signalId: string): Promise<number> {
  return Number(await runScript(client, 'xportHlen', signalKeys(prefix, signalId).outcomes, []));
}

export async function readResults(client: RedisClient, prefix: string, signalId: string): Promise<SignalResults> {
  const keys = signalKeys(prefix, signalId);
  const [meta, raw] = await Promise.all([client.hgetall(keys.meta), client.hgetall(keys.outcomes)]);
  const outcomes = new Map<string, FollowerOutcome>();
  for (const [followerId, text] of Object.entries(raw)) outcomes.set(followerId, JSON.parse(text) as FollowerOutcome);
  return {
    expected: meta.expected === undefined ? undefined : Number(meta.expected),
    submittedAt: meta.submittedAt === undefined ? undefined : Number(meta.submittedAt),
    outcomes,
  };
}
