import { Decimal, MemoryOrderJournal } from '@xport/core';
import type { OrderJournal } from '@xport/core';
import type { Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Follower } from './copy-signal';
import { runCopySession } from './copy-session';
import { createDemoFollowers } from './demo-followers';
import { DEMO_SESSION } from './demo-session';
import { createFollowers } from './create-followers';
import type { FollowerConfig } from './followers-config';

const signals = DEMO_SESSION.map((step) => step.signal);

function applyPrices(sim: Simulator, index: number): void {
  for (const [symbol, price] of Object.entries(DEMO_SESSION[index]?.prices ?? {})) sim.prices.set(symbol, price);
}

function connect(sim: Simulator, configs: readonly FollowerConfig[], env: Readonly<Record<string, string>>, journal: OrderJournal): Follower[] {
  const baseUrls = { binance: `${sim.url}/binance`, bybit: `${sim.url}/bybit`, bitget: `${sim.url}/bitget` };
  return createFollowers(configs, { env, baseUrls, journal: { store: journal } });
}

/** What the simulator executed per follower, as the venue's client order ids. */
function ledgerIds(sim: Simulator, configs: readonly FollowerConfig[], env: Readonly<Record<string, string>>): string[][] {
  return configs.map((config) => {
    const apiKey = env[config.credentials.apiKey] ?? '';
    return sim.ledger.orders({ venue: config.exchange, apiKey }).map((order) => order.clientOrderId);
  });
}

async function closeAll(followers: readonly Follower[]): Promise<void> {
  await Promise.all(followers.map((follower) => follower.port.close()));
}

describe('runCopySession against the simulator', () => {
  let sim: Simulator;
  let reference: Simulator;
  beforeAll(async () => {
    [sim, reference] = await Promise.all([startSimulator({ port: 0 }), startSimulator({ port: 0 })]);
  });
  afterAll(async () => {
    await Promise.all([sim.close(), reference.close()]);
  });

  it('places, skips and fails each follower on its own, one order per (signal, follower), and a re-run after an abort places nothing twice', async () => {
    const demo = createDemoFollowers(sim, 9);
    // A follower with an empty futures wallet: its futures orders fail, nobody else's do.
    const broke = sim.accounts.create({ venue: 'binance', balances: { USDT: '5000' }, positionMode: 'oneway' });
    const brokeConfig: FollowerConfig = {
      id: 'broke',
      exchange: 'binance',
      credentials: { apiKey: 'BROKE_KEY', apiSecret: 'BROKE_SECRET' },
      positionMode: 'oneway',
      sizing: { rule: 'fixedNotional', notional: new Decimal('500') },
    };
    const configs = [...demo.configs, brokeConfig];
    const env = { ...demo.env, BROKE_KEY: broke.apiKey, BROKE_SECRET: broke.secret };

    // The same accounts on a second simulator, run without interruption: the expected ledger.
    const referenceDemo = createDemoFollowers(reference, 9);
    const referenceBroke = reference.accounts.create({ venue: 'binance', balances: { USDT: '5000' }, positionMode: 'oneway' });
    const referenceEnv = { ...referenceDemo.env, BROKE_KEY: referenceBroke.apiKey, BROKE_SECRET: referenceBroke.secret };
    const referenceFollowers = connect(reference, configs, referenceEnv, new MemoryOrderJournal());
    const full = await runCopySession(signals, referenceFollowers, { onSignalStart: (_signal, index) => { applyPrices(reference, index); } });
    await closeAll(referenceFollowers);

    const statuses = full.signals.map((report) => report.results.map((result) => result.status[0]).join(''));
    // The broke follower (last) fails its futures opens and has nothing to reduce or close; the 20 USDT one (4th) is skipped.
    expect(statuses.join(' ')).toBe('pppspppppp pppspppppp pppsppppsf pppsppppsf pppsppppsf pppspppppp pppsppppss pppspppppp pppsppppss pppsppppss pppsppppss');
    expect(statuses.every((line) => line.length === 10)).toBe(true);
    expect(full.signals[2]?.results[9]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^InsufficientBalanceError: /) as unknown });
    expect(full.signals[6]?.results[9]).toMatchObject({ status: 'skipped', reason: 'no long position on BTCUSDT' });
    expect(full.signals[2]?.results[3]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/below the minimum/) as unknown });
    expect(full.signals[2]?.results.filter((result) => result.status === 'placed')).toHaveLength(7);
    const placed = full.signals.flatMap((report) => report.results.filter((result) => result.status === 'placed'));
    const expected = ledgerIds(reference, configs, referenceEnv);
    expect(expected.flat()).toHaveLength(placed.length);
    expect(new Set(placed.map((result) => result.order?.clientOrderId)).size).toBe(placed.length);

    // The real run: aborted part-way through the fifth signal, then re-run from the start by new
    // adapters sharing its journal, as a restarted process opens the same file.
    const journal = new MemoryOrderJournal();
    const controller = new AbortController();
    let done = 0;
    const first = connect(sim, configs, env, journal);
    const aborted = await runCopySession(signals, first, {
      signal: controller.signal,
      onSignalStart: (_signal, index) => { applyPrices(sim, index); },
      onFollowerDone: () => {
        done += 1;
        if (done === 45) controller.abort(new Error('operator stopped the run'));
      },
    });
    await closeAll(first);
    expect(aborted.aborted).toBe(true);
    expect(aborted.signals).toHaveLength(5);
    const partial = ledgerIds(sim, configs, env).flat().length;
    expect(partial).toBeLessThan(placed.length);

    const second = connect(sim, configs, env, journal);
    const resumed = await runCopySession(signals, second, { onSignalStart: (_signal, index) => { applyPrices(sim, index); } });
    await closeAll(second);
    expect(resumed.aborted).toBe(false);
    const actual = ledgerIds(sim, configs, env);
    for (const ids of actual) expect(new Set(ids).size).toBe(ids.length);
    expect(actual.map((ids) => [...ids].sort())).toEqual(expected.map((ids) => [...ids].sort()));
  });
});
