// First: ccxt must capture the switchable Date.now when it loads.
import './test-support/wall-clock';

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleepReal } from 'node:timers/promises';

import { FakeClock } from '@xport/resilience';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RedisVenueState } from './redis-venue-state';
import { binanceSimulator, closeAll, fleetStart, onFakeTime, readAll, statusesOf, worker } from './test-support/fleet';
import { connect } from './test-support/redis';

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** A redis-server of this test's own, without persistence: a restart loses everything. */
function startRedis(port: number): void {
  execFileSync('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
}

function stopRedis(port: number): void {
  try {
    execFileSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
  } catch {
    // Already stopped: shutdown closes the connection it came on.
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 25) {
    if (await condition()) return;
    await sleepReal(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Redis restarted without its data while workers spend a budget', () => {
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    startRedis(port);
    const probe = connect(`redis://127.0.0.1:${String(port)}`);
    await waitFor(async () => (await probe.ping().catch(() => '')) === 'PONG', 'redis-server to start');
    await probe.quit();
  });

  afterAll(() => {
    stopRedis(port);
  });

  it('workers reconnect, count the window of the restart as spent, and carry on in the next one; nothing is lost', async () => {
    const url = `redis://127.0.0.1:${String(port)}`;
    const clock = new FakeClock(1_800_000_000_000);
    const limits = { capacity: 100, intervalMs: 60_000 };
    const workers = [new RedisVenueState({ redis: url, keyPrefix: 'restart:', egress: '127.0.0.2', clock, reconnectWaitMs: 50 }), new RedisVenueState({ redis: url, keyPrefix: 'restart:', egress: '127.0.0.2', clock, reconnectWaitMs: 50 })];
    const budgets = workers.map((worker) => worker.budget('binance|live|spot|ip:127.0.0.2', limits));
    const granted: number[] = [];
    const spend = (worker: number, count: number): Promise<void>[] =>
      Array.from({ length: count }, () => (budgets[worker]?.acquire(1) ?? Promise.reject(new Error('no budget'))).then(() => void granted.push(clock.now())));

    try {
      // 60 of the window's 100 are spent before Redis goes away.
      await Promise.all([...spend(0, 30), ...spend(1, 30)]);
      expect(granted).toHaveLength(60);

      stopRedis(port);
      await waitFor(() => workers.every((worker) => worker.redis.status !== 'ready'), 'the workers to see Redis gone');
      // Asked while Redis is down: they wait, neither refused nor let through unaccounted.
      const during = [...spend(0, 40), ...spend(1, 40)];
      await sleepReal(300);
      expect(granted).toHaveLength(60);

      startRedis(port);
      await waitFor(() => workers.every((worker) => worker.redis.status === 'ready'), 'the workers to reconnect', 30_000);
      // Back, but empty: what the window had spent is unknown, so it counts as spent.
      await sleepReal(500);
      expect(granted).toHaveLength(60);

      // The next window: 80 asked, 100 allowed, every one granted, none before the window began.
      await clock.advance(limits.intervalMs);
      await waitFor(() => granted.length === 140, 'the waiting acquires to be granted');
      await Promise.all(during);
      const nextWindow = Math.floor(clock.now() / limits.intervalMs) * limits.intervalMs;
      expect(granted.slice(60).every((at) => at >= nextWindow)).toBe(true);
      // And the new window's count is shared again: 20 left for both workers together.
      const more = [...spend(0, 15), ...spend(1, 15)];
      await waitFor(() => granted.length === 160, 'the rest of the window');
      await sleepReal(300);
      expect(granted).toHaveLength(160);
      await clock.advance(limits.intervalMs);
      await Promise.all(more);
      expect(granted).toHaveLength(170);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
  });
});

describe('Redis restarted without its data while two workers read balances from the simulator', { timeout: 300_000 }, () => {
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    startRedis(port);
    const probe = connect(`redis://127.0.0.1:${String(port)}`);
    await waitFor(async () => (await probe.ping().catch(() => '')) === 'PONG', 'redis-server to start');
    await probe.quit();
  });

  afterAll(() => {
    stopRedis(port);
  });

  it("no burst past the venue's weight limit after the restart, and every read is answered", async () => {
    const url = `redis://127.0.0.1:${String(port)}`;
    const clock = new FakeClock(fleetStart());
    const sim = await binanceSimulator(clock);
    const states = [0, 1].map(() => new RedisVenueState({ redis: url, keyPrefix: 'restart-sim:', egress: '127.0.0.2', clock, reconnectWaitMs: 50 }));
    const adapters = states.flatMap((state) => worker(sim, clock, 100, '127.0.0.2', state));
    try {
      // 200 reads of weight 20 and one catalogue: 4 040 of the minute's 6 000.
      const first = readAll(adapters);
      const firstResults = await onFakeTime(clock, sim, first.results, first.unfinished);
      expect(firstResults.filter((result) => result.status === 'rejected')).toEqual([]);
      const minute = Math.floor(clock.now() / 60_000);

      stopRedis(port);
      await waitFor(() => states.every((state) => state.redis.status !== 'ready'), 'the workers to see Redis gone');
      // Another 200 reads asked while Redis is down; it comes back empty.
      const second = readAll(adapters);
      const restarted = (async (): Promise<void> => {
        await sleepReal(300);
        startRedis(port);
      })();
      const secondResults = await onFakeTime(clock, sim, second.results, second.unfinished);
      await restarted;

      expect(secondResults.filter((result) => result.status === 'rejected')).toEqual([]);
      const statuses = statusesOf(sim);
      expect(statuses.filter((status) => status === 429 || status === 418)).toEqual([]);
      // Sent at once they would have made 8 040 in the restart's minute; they waited for the next one.
      const reads = sim.requests({ exchange: 'binance' }).filter((entry) => entry.path.endsWith('/api/v3/account'));
      expect(reads.filter((entry) => Math.floor(entry.time / 60_000) === minute)).toHaveLength(200);
      expect(reads.filter((entry) => Math.floor(entry.time / 60_000) > minute)).toHaveLength(200);
    } finally {
      await closeAll(adapters);
      await Promise.all(states.map((state) => state.close()));
      await sim.close();
    }
  });
});
