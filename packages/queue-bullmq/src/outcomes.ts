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

const HSET_WITH_TTL = 'xportHsetWithTtl';
const defined = new WeakSet<RedisClient>();

/**
 * Sets hash fields and the hash's time to live in one step. Through BullMQ's client interface, which
 * takes a hash's fields as an object and runs other commands as Lua scripts it is given.
 */
export async function hsetWithTtl(client: RedisClient, key: string, fields: Readonly<Record<string, string | number>>, ttlSeconds: number): Promise<void> {
  if (!defined.has(client)) {
    client.defineCommand(HSET_WITH_TTL, {
      numberOfKeys: 1,
      lua: "for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end\nredis.call('EXPIRE', KEYS[1], ARGV[1])\nreturn 1",
    });
    defined.add(client);
  }
  await client.runCommand(HSET_WITH_TTL, [key, ttlSeconds, ...Object.entries(fields).flat()]);
}

/** True when Redis answers a read. */
export async function redisAnswers(client: RedisClient, prefix: string): Promise<boolean> {
  await client.get(`${prefix}:xport-health`);
  return true;
}

export async function recordOutcome(client: RedisClient, prefix: string, signalId: string, followerId: string, outcome: FollowerOutcome, keepSeconds: number): Promise<void> {
  await hsetWithTtl(client, signalKeys(prefix, signalId).outcomes, { [followerId]: JSON.stringify(outcome) }, keepSeconds);
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
