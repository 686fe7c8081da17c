import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './engine-clock';
import type { SimAccount } from './engine-account';
import type { Simulator } from './start-simulator';
import { untilTimersPending } from './test-support/clock';
import { fakeVenue } from './test-support/fake-venue';
import { startTestSimulator } from './test-support/simulator';

/**
 * The `restart` fault on the plain fake venue, with time driven by hand: what a restart drops (the
 * requests the venue holds, the request that meets it, everything during the downtime) and what
 * survives it (accounts, balances, positions, the ledger, rate-limit windows, other venues).
 */
describe('restart fault', () => {
  const clock = createManualClock();
  let sim: Simulator;
  let account: SimAccount;

  beforeAll(async () => {
    sim = await startTestSimulator({ venues: [fakeVenue('binance'), fakeVenue('bybit')], clock, budgets: { binanceWeightPerMinute: 5 } });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    account = sim.accounts.create({ venue: 'binance', balances: { USDT: '10000' }, futuresBalances: { USDT: '10000' } });
  });

  const get = (path: string): Promise<Response> => fetch(`${sim.url}${path}`);
  const order = (clientOrderId: string): Promise<Response> =>
    fetch(`${sim.url}/binance/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mbx-apikey': account.apiKey },
      body: JSON.stringify({ market: 'futures', symbol: 'BTCUSDT', side: 'buy', quantity: '0.01', clientOrderId }),
    });

  it('drops the request that meets it, executes nothing for it, and logs it', async () => {
    sim.faults.add({ kind: 'restart', exchange: 'binance', path: '/binance/order', count: 1 });
    await expect(order('met-restart')).rejects.toThrow();
    expect(sim.ledger.orders()).toEqual([]);
    expect(sim.requests({ exchange: 'binance' }).at(-1)).toMatchObject({ status: 0, fault: 'restart' });
    expect(sim.engine.restartedAt('binance')).toBe(sim.clock.now());
  });

  it('drops what the venue holds: a delayed request and a withheld answer (whose order did execute)', async () => {
    sim.faults.add({ kind: 'latency', ms: 10_000, path: '/binance/time', count: 1 });
    sim.faults.add({ kind: 'commitThenFail', mode: 'timeout', ms: 10_000, count: 1 });
    const outcome = (request: Promise<Response>): Promise<string> => request.then(() => 'answered', () => 'dropped');
    const delayed = outcome(get('/binance/time'));
    const withheld = outcome(order('withheld'));
    await untilTimersPending(clock, 2);
    sim.faults.add({ kind: 'restart', exchange: 'binance', path: '/binance/ping', count: 1 });
    await expect(get('/binance/ping')).rejects.toThrow();
    expect([await delayed, await withheld]).toEqual(['dropped', 'dropped']);
    expect(clock.pending()).toBe(0);
    expect(sim.ledger.orders().map((placed) => placed.clientOrderId)).toEqual(['withheld']);
  });

  it('keeps the venue down for `ms`, then answers again with accounts, ledger and positions intact', async () => {
    expect((await order('before')).status).toBe(200);
    const positions = sim.positions('binance', account.apiKey);
    sim.faults.add({ kind: 'restart', exchange: 'binance', path: '/binance/ping', ms: 5_000, count: 1 });
    await expect(get('/binance/ping')).rejects.toThrow();
    await expect(get('/binance/time')).rejects.toThrow();
    await expect(order('while-down')).rejects.toThrow();
    // Another venue is not affected.
    expect((await get('/bybit/time')).status).toBe(200);
    clock.advance(5_000);
    expect((await order('after')).status).toBe(200);
    expect(sim.ledger.orders().map((placed) => placed.clientOrderId)).toEqual(['before', 'after']);
    expect(sim.positions('binance', account.apiKey)[0]?.size.toFixed()).toBe(positions[0]?.size.plus('0.01').toFixed());
    expect(sim.accounts.get('binance', account.apiKey)).toBe(account);
  });

  it('a simulator reset ends a downtime', async () => {
    sim.faults.add({ kind: 'restart', exchange: 'binance', path: '/binance/ping', ms: 60_000, count: 1 });
    await expect(get('/binance/ping')).rejects.toThrow();
    await expect(get('/binance/time')).rejects.toThrow();
    sim.reset();
    expect((await get('/binance/time')).status).toBe(200);
    expect(sim.engine.restartedAt('binance')).toBe(-Infinity);
  });

  it('keeps rate-limit windows: a budget spent before the restart is still spent after it', async () => {
    for (let i = 0; i < 4; i += 1) expect((await get('/binance/time')).status).toBe(200);
    sim.faults.add({ kind: 'restart', exchange: 'binance', path: '/binance/ping', count: 1 });
    await expect(get('/binance/ping')).rejects.toThrow();
    expect((await get('/binance/time')).status).toBe(200);
    expect((await get('/binance/time')).status).toBe(429);
  });

  it('is accepted by the control API like any other kind', async () => {
    const response = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'restart', exchange: 'bybit', ms: 1000, count: 1 }) });
    expect(response.status).toBe(201);
    expect(sim.faults.list()).toMatchObject([{ kind: 'restart', exchange: 'bybit', ms: 1000, remaining: 1 }]);
  });
});
