import { ConfigurationError } from '@xport/core';
import type { ConnectionOptions } from 'bullmq';

/** Where the queues live: the Redis server and the names under which this deployment's queues sit. */
export interface QueueLocation {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  readonly redisUrl: string;
  /**
   * The Redis key prefix of every queue and result of this deployment (BullMQ's `prefix`). Default
   * `xport`. Two deployments (or two tests) on one server use two prefixes.
   */
  readonly prefix?: string | undefined;
}

/** The queue of submitted signals: one job per signal, its id the signal's id. */
export const SIGNALS_QUEUE = 'signals';
/** The queue of follower orders: one job per signal × follower, its id the pair's idempotency key. */
export const ORDERS_QUEUE = 'orders';

/** A location, a job id or an option the queue cannot use: core's `ConfigurationError`, naming the field and what was expected. */
export function queueConfigError(field: string, expected: string, got: string): ConfigurationError {
  return new ConfigurationError(`${field}: expected ${expected}, got ${got}`, { field, expected });
}

const PREFIX = /^[A-Za-z0-9._-]{1,64}$/;

export function prefixOf(location: QueueLocation): string {
  const prefix = location.prefix ?? 'xport';
  if (!PREFIX.test(prefix)) throw queueConfigError('prefix', '1 to 64 letters, digits, ".", "_" or "-"', JSON.stringify(prefix));
  return prefix;
}

/**
 * BullMQ's connection options for `redisUrl`. Parsed here (ioredis takes no URL inside an options
 * object), and the password never appears in an error.
 */
export function connectionOf(location: QueueLocation): ConnectionOptions {
  let url: URL;
  try {
    url = new URL(location.redisUrl);
  } catch {
    throw queueConfigError('redisUrl', 'a redis:// or rediss:// URL', 'something else');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw queueConfigError('redisUrl', 'a redis:// or rediss:// URL', `a ${url.protocol} URL`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw queueConfigError('redisUrl', 'a database number after the host (redis://host:6379/0)', 'another path');
  return {
    host: url.hostname === '' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    ...(url.username !== '' && { username: decodeURIComponent(url.username) }),
    ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
    ...(db !== '' && { db: Number(db) }),
    ...(url.protocol === 'rediss:' && { tls: {} }),
  };
}

/**
 * Refuses a job id BullMQ would refuse or misread: an integer (BullMQ's own ids) or one with `:`
 * (its key separator). The copy-trader's client order ids (`x` and 31 hex digits) pass.
 */
export function checkJobId(id: string, field: string): string {
  if (id === '' || id.length > 200) throw queueConfigError(field, 'a job id of 1 to 200 characters', `${id.length} characters`);
  if (id.includes(':')) throw queueConfigError(field, 'a job id without ":" (BullMQ separates its keys with it)', JSON.stringify(id));
  if (`${Number.parseInt(id, 10)}` === id) throw queueConfigError(field, 'a job id that is not an integer (BullMQ numbers its own jobs)', JSON.stringify(id));
  return id;
}

/**
 * Closes a queue or worker once its connection has finished connecting. BullMQ's `close()` drops the
 * connection's listeners, and a connection still connecting then fails with "Connection is closed"
 * as an 'error' event nobody hears, which ends the process (seen when `serve` found every signal
 * already queued and closed at once). A Redis that does not answer gets `readyWithinMs` before the
 * close goes ahead anyway.
 */
export async function closeWhenReady(closable: { waitUntilReady(): Promise<unknown>; close(): Promise<void> }, readyWithinMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const givenUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, readyWithinMs);
    timer.unref();
  });
  await Promise.race([closable.waitUntilReady().catch(() => undefined), givenUp]);
  clearTimeout(timer);
  await closable.close();
}
