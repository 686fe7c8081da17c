// examples/two-workers.mjs — node packages/redis/examples/two-workers.mjs (after a build; XPORT_REDIS_URL to use another server)
// Two workers behind one egress address share one budget of 10 a second: 30 requests take three windows.
import { RedisVenueState } from '@xport/redis';

const redis = process.env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `xport-example:${process.pid}:`;
const workers = ['worker-a', 'worker-b'].map((name) => ({ name, state: new RedisVenueState({ redis, keyPrefix, egress: '127.0.0.2' }) }));
const limits = { capacity: 10, intervalMs: 1_000 };

const started = Date.now();
const granted = await Promise.all(
  Array.from({ length: 30 }, async (_, index) => {
    const { name, state } = workers[index % 2];
    await state.budget(`example|spot|ip:${state.egress}`, limits).acquire(1);
    return { name, window: Math.floor(Date.now() / 1_000) };
  }),
);
const perWindow = [...granted.reduce((counts, { window }) => counts.set(window, (counts.get(window) ?? 0) + 1), new Map()).values()];
console.log('granted per one-second window, both workers together:', perWindow); // e.g. [ 10, 10, 10 ] (or split 4+10+10+6)
console.log('took', Date.now() - started, 'ms');

const breaker = workers[0].state.breaker('example|spot', { name: 'example-spot', failureThreshold: 1 });
await breaker.execute(() => Promise.reject(new Error('503 from the venue'))).catch(() => undefined);
const other = workers[1].state.breaker('example|spot', { name: 'example-spot', failureThreshold: 1 });
await other.execute(() => Promise.resolve('sent')).catch((error) => console.log('worker-b:', error.message)); // refused: open for everyone

await workers[0].state.redis.del(...(await workers[0].state.redis.keys(`${keyPrefix}*`)));
await Promise.all(workers.map(({ state }) => state.close()));
