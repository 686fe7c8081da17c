/**
 * What a shared budget costs a request, beside the in-process RateLimiter and a bare Redis round
 * trip (PING) on the same connection: acquire() latency p50/p99 one at a time, and acquires per
 * second with 64 in flight. Also the size of a venue's serialised market catalogue as the cache
 * keeps it (Binance from the simulator at its real-scale catalogue). The server is XPORT_REDIS_URL
 * (default the local one). Run with `pnpm --filter @xport/redis bench` after a build.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { createBinanceAdapter } from '@xport/binance';
import { VenueRuntimeRegistry } from '@xport/ccxt';
import { RateLimiter } from '@xport/resilience';
import { startSimulator } from '@xport/simulator';
import { Redis } from 'ioredis';

import type * as XportRedis from '../src/index';

const URL = process.env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = 5_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed(label: string, once: () => Promise<unknown>): Promise<{ label: string; p50: number; p99: number; perSecond: number }> {
  const samples: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < N) {
        next += 1;
        await once();
      }
    }),
  );
  return { label, p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond: N / ((performance.now() - start) / 1000) };
}

async function main(): Promise<void> {
  const { RedisVenueState } = (await import(pathToFileURL(resolve(__dirname, '..', 'dist', 'index.mjs')).href)) as typeof XportRedis;
  const redis = new Redis(URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
  } catch (error) {
    console.log(`@xport/redis bench skipped: Redis at ${URL} did not answer (${(error as Error).message})`);
    return;
  }
  const keyPrefix = `xport-bench:${randomUUID()}:`;
  const state = new RedisVenueState({ redis, keyPrefix });
  const huge = { capacity: Number.MAX_SAFE_INTEGER, intervalMs: 60_000 };
  const shared = state.budget('bench|spot|ip:default', huge);
  const local = new RateLimiter(huge);
  const breaker = state.breaker('bench|spot', { name: 'bench' });
  const rows = [
    await timed('PING (baseline round trip)', () => redis.ping()),
    await timed('RedisVenueState budget.acquire(1)', () => shared.acquire(1)),
    await timed('RedisVenueState breaker.execute (admit + report)', () => breaker.execute(() => Promise.resolve())),
    await timed('RateLimiter.acquire(1) in process', () => local.acquire(1)),
  ];
  const ping = rows[0]?.p50 ?? Number.NaN;
  console.log(`@xport/redis, ${String(N)} calls each, Redis at ${URL}`);
  console.log('| call | p50 ms | p99 ms | per second, 64 in flight | p50 ÷ PING p50 |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.label} | ${row.p50.toFixed(3)} | ${row.p99.toFixed(3)} | ${Math.round(row.perSecond).toLocaleString('en')} | ${(row.p50 / ping).toFixed(2)} |`);

  // The catalogue as the cache keeps it: one adapter's initialize() stores it, STRLEN measures it.
  const sim = await startSimulator({ port: 0, catalogue: 'real' });
  try {
    for (const size of ['minimal', 'real'] as const) {
      const catalogue = size === 'real' ? sim : await startSimulator({ port: 0 });
      const keys = catalogue.accounts.create({ venue: 'binance', balances: { USDT: '1' } });
      const baseUrl = `${catalogue.url}/binance`;
      const adapter = createBinanceAdapter({ apiKey: keys.apiKey, apiSecret: keys.secret, baseUrl, positionMode: 'oneway', registry: new VenueRuntimeRegistry(), venueState: state });
      await adapter.initialize();
      const bytes = await redis.strlen(`${keyPrefix}cache:binance|${baseUrl}|markets`);
      console.log(`Binance catalogue (simulator, ${size}): ${String(adapter.runtime.marketLoads)} load, ${(bytes / 1024).toFixed(0)} KiB in Redis`);
      await adapter.close();
      if (catalogue !== sim) await catalogue.close();
    }
  } finally {
    await sim.close();
  }
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`);
    cursor = nextCursor;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

void main();
