// First: ccxt must capture the switchable Date.now when it loads.
import './test-support/wall-clock';

import { FakeClock } from '@xport/resilience';
import type { VenueEvent } from '@xport/ccxt';
import type { Simulator } from '@xport/simulator';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { RedisVenueState } from './redis-venue-state';
import { binanceSimulator, closeAll, fleetStart, onFakeTime, readAll, statusesOf, worker } from './test-support/fleet';
import { connect, deleteKeys, uniquePrefix } from './test-support/redis';

const admin = connect();
const opened: { sim: Simulator; close: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const { sim, close } of opened.splice(0)) {
    await close();
    await sim.close();
  }
});
afterAll(() => admin.quit());

const PER_WORKER = 300;

/** Two worker processes' worth of adapters (separate registries), each on its own Redis connection when `shared`. */
async function twoWorkers(addresses: readonly [string, string], shared: boolean): Promise<{ sim: Simulator; results: PromiseSettledResult<unknown>[]; clock: FakeClock; started: number; events: VenueEvent[] }> {
  const clock = new FakeClock(fleetStart());
  const sim = await binanceSimulator(clock);
  const keyPrefix = uniquePrefix('shared-budgets');
  const states = shared ? addresses.map((egress) => new RedisVenueState({ redis: connect(), keyPrefix, egress, clock })) : [];
  opened.push({
    sim,
    close: async () => {
      await deleteKeys(admin, keyPrefix);
      await Promise.all(states.map((state) => state.redis.quit()));
    },
  });
  const started = clock.now();
  // Without shared budgets a refusal is not retried: the point is that the venue refused at all.
  const events: VenueEvent[] = [];
  const adapters = addresses.flatMap((address, index) => worker(sim, clock, PER_WORKER, address, states[index], shared ? 5 : 0, (event) => events.push(event)));
  const reads = readAll(adapters);
  const results = await onFakeTime(clock, sim, reads.results, reads.unfinished);
  await closeAll(adapters);
  return { sim, results, clock, started, events };
}

/** Spot balance reads (weight 20 each) answered per minute of the simulator's clock. */
function readsPerMinute(sim: Simulator): number[] {
  const perMinute = new Map<number, number>();
  for (const entry of sim.requests({ exchange: 'binance' })) {
    if (!entry.path.endsWith('/api/v3/account')) continue;
    const minute = Math.floor(entry.time / 60_000);
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  return [...perMinute.values()];
}

/** How many times the spot catalogue was loaded. */
function catalogueLoads(sim: Simulator): number {
  return sim.requests({ exchange: 'binance' }).filter((entry) => entry.path.endsWith('/api/v3/exchangeInfo')).length;
}

function refusals(statuses: readonly number[]): { tooMany: number; banned: number } {
  return { tooMany: statuses.filter((status) => status === 429).length, banned: statuses.filter((status) => status === 418).length };
}

// 600 adapters on a loaded machine: generous real-time limits (the venue's time is fake).
describe('two workers with 300 Binance adapters each', { timeout: 300_000 }, () => {
  it('on one address with budgets kept in each process: the venue refuses with 429, then bans with 418', async () => {
    const { sim, results, events } = await twoWorkers(['127.0.0.2', '127.0.0.2'], false);
    const { tooMany, banned } = refusals(statusesOf(sim));
    expect(tooMany + banned).toBeGreaterThan(0);
    // The adapters' hook reported every refusal the venue sent, by its HTTP status.
    const reported = events.flatMap((event) => (event.type === 'rate_limited' ? [event.refusal] : []));
    const reportedTooMany = reported.filter((refusal) => refusal === '429').length;
    const reportedBanned = reported.filter((refusal) => refusal === '418').length;
    expect({ tooMany: reportedTooMany, banned: reportedBanned, other: reported.length - reportedTooMany - reportedBanned }).toEqual({ tooMany, banned, other: 0 });
    console.info(`hook: ${String(reportedTooMany)} × 429, ${String(reportedBanned)} × 418 reported of ${String(tooMany)} and ${String(banned)} answered`);
    const failed = results.filter((result) => result.status === 'rejected').length;
    expect(failed).toBeGreaterThan(0);
    // Each process loaded the catalogue for itself.
    expect(catalogueLoads(sim)).toBe(2);
    console.info(`budgets per process, one address: ${String(tooMany)} × 429, ${String(banned)} × 418, ${String(failed)} of 600 reads failed`);
  });

  it('on one address sharing budgets through Redis: one IP budget, no 429 or 418, every read answered', async () => {
    const { sim, results, clock, started, events } = await twoWorkers(['127.0.0.2', '127.0.0.2'], true);
    const statuses = statusesOf(sim);
    expect(refusals(statuses)).toEqual({ tooMany: 0, banned: 0 });
    expect(events.filter((event) => event.type === 'rate_limited')).toEqual([]);
    // The reads past the address's minute waited at its budget, and the hook measured it.
    const ipWait = events.reduce((sum, event) => sum + (event.type === 'budget_wait' && event.scope === 'ip' ? event.waitedMs : 0), 0);
    expect(ipWait).toBeGreaterThan(0);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    // The two workers loaded the catalogue once between them; the other adopted it from Redis.
    expect(catalogueLoads(sim)).toBe(1);
    // 600 balance reads of weight 20 and the market loads are more than two minutes of one address's
    // 6000: the work ran into a third minute (the first one had 40 s left).
    expect(clock.now() - started).toBeGreaterThanOrEqual(100_000);
    console.info(`shared budget, one address: balance reads (weight 20) per minute ${JSON.stringify(readsPerMinute(sim))}, of 6000 weight a minute`);
  });

  it('on two addresses sharing through Redis: each address has its own budget, and nothing waits for the other', async () => {
    const { sim, results, clock, started } = await twoWorkers(['127.0.0.2', '127.0.0.3'], true);
    expect(refusals(statusesOf(sim))).toEqual({ tooMany: 0, banned: 0 });
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    // Each address carries 300 reads of weight 20 and its market loads, a little over its 6000 a
    // minute: each waits for one new minute at most, not for the other address's spending.
    expect(clock.now() - started).toBeLessThanOrEqual(40_000);
    console.info(`shared budgets, two addresses: balance reads per minute ${JSON.stringify(readsPerMinute(sim))}, ${String((clock.now() - started) / 1000)} s of fake time`);
  });
});
