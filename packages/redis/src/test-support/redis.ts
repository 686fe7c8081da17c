import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';

/** The Redis the tests use: XPORT_REDIS_URL, default the local one. */
export const REDIS_URL = process.env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test file or run shares. */
export function uniquePrefix(file: string): string {
  return `xport-test:${file}:${randomUUID()}:`;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export function connect(url = REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
