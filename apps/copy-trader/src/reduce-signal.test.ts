import { Decimal, MemoryOrderJournal } from '@xport/core';
import type { OrderJournal } from '@xport/core';
import { PostgresOrderJournal } from '@xport/journal-postgres';
import type { Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { clientOrderIdFor, idempotencyKeyFor } from './client-order-id';
import type { Follower, FollowerResult } from './copy-signal';
import { runCopySession } from './copy-session';
import { createFollowers } from './create-followers';
import { followerResultFromJson } from './follower-result-json';
import type { FollowerConfig, Venue } from './followers-config';
import { replay } from './replay';
import type { Signal } from './signals';
import { parseSignalsJsonl } from './signals';
import { followerJobProcessor } from './worker-run';

const VENUES = ['binance', 'bybit', 'bitget'] as const;
/** The perpetuals' quantity steps, as the simulator's catalogues list them. */
const STEPS: Readonly<Record<string, Readonly<Record<Venue, string>>>> = {
  BTCUSDT: { binance: '0.001', bybit: '0.001', bitget: '0.0001' },
  ETHUSDT: { binance: '0.001', bybit: '0.01', bitget: '0.01' },
};

interface Spec {
  readonly id: string;
  readonly venue: Venue;
  readonly mode: 'oneway' | 'hedge';
  readonly ratio: string;
}

interface Accounts {
  readonly configs: FollowerConfig[];
  readonly env: Record<string, string>;
  /** Follower id → its simulator account. */
  readonly keys: Map<string, { venue: Venue; apiKey: string }>;
}

/** One funded simulator account per spec, and the followers file entries that trade them. */
function accountsFor(sim: Simulator, specs: readonly Spec[]): Accounts {
  const env: Record<string, string> = {};
  const keys = new Map<string, { venue: Venue; apiKey: string }>();
  const configs = specs.map((spec): FollowerConfig => {
    const account = sim.accounts.create({ venue: spec.venue, futuresBalances: { USDT: '20000' }, balances: { USDT: '20000' }, positionMode: spec.mode });
    const name = `RS_${spec.id.toUpperCase().replace(/-/g, '_')}`;
    env[`${name}_KEY`] = account.apiKey;
    env[`${name}_SECRET`] = account.secret;
    if (account.passphrase !== undefined) env[`${name}_PASS`] = account.passphrase;
    keys.set(spec.id, { venue: spec.venue, apiKey: account.apiKey });
    return {
      id: spec.id,
      exchange: spec.venue,
      credentials: { apiKey: `${name}_KEY`, apiSecret: `${name}_SECRET`, passphrase: account.passphrase === undefined ? undefined : `${name}_PASS` },
      positionMode: spec.mode,
      sizing: { rule: 'ratio', ratio: new Decimal(spec.ratio) },
    };
  });
  return { configs, env, keys };
}

/** A new process's followers: new adapters over the same accounts and journal. */
function connect(sim: Simulator, accounts: Accounts, journal: OrderJournal): Follower[] {
  return createFollowers(accounts.configs, { env: accounts.env, baseUrls: Object.fromEntries(VENUES.map((venue) => [venue, `${sim.url}/${venue}`])), journal: { store: journal } });
}

/** Each spec's three followers, one per venue. */
function onEveryVenue(id: string, mode: 'oneway' | 'hedge', ratio: string): Spec[] {
  return VENUES.map((venue) => ({ id: `${id}-${venue}`, venue, mode, ratio }));
}

const floorTo = (value: Decimal, step: string): Decimal => value.div(step).floor().mul(step);

const open = (id: string, action: 'futuresLong' | 'futuresShort', symbol: string, quantity: string, price: string): Signal => ({
  id,
  action,
  symbol,
  quantity: new Decimal(quantity),
  price: new Decimal(price),
  masterEquity: new Decimal('100000'),
  leverage: 5,
});
const reduce = (id: string, action: 'reduceLong' | 'reduceShort', symbol: string, quantity: string, masterPositionBefore: string): Signal => ({
  id,
  action,
  symbol,
  quantity: new Decimal(quantity),
  masterPositionBefore: new Decimal(masterPositionBefore),
});

const closeAll = async (followers: readonly Follower[]): Promise<void> => {
  await Promise.allSettled(followers.map((follower) => follower.port.close()));
};

const byFollower = (results: readonly FollowerResult[]): Map<string, FollowerResult> => new Map(results.map((result) => [result.followerId, result]));

describe('reduceLong / reduceShort against the simulator (real ccxt)', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    sim.prices.set('BTCUSDT', '65000');
    sim.prices.set('ETHUSDT', '3500');
  });

  afterAll(async () => {
    await sim.close();
  });

  /** The follower's `side` leg on `symbol` as the simulator holds it (one-way: the net position's side). */
  const legOf = (accounts: Accounts, id: string, symbol: string, side: 'long' | 'short'): Decimal => {
    const key = accounts.keys.get(id) ?? expect.fail(`no account ${id}`);
    const held = sim.positions(key.venue, key.apiKey, symbol).find((position) => {
      const size = new Decimal(position.size.toString());
      if (size.lte(0)) return false;
      if (position.side !== 'both') return position.side === side;
      return new Decimal(position.signedSize.toString()).gt(0) === (side === 'long');
    });
    return held === undefined ? new Decimal(0) : new Decimal(held.size.toString());
  };
  const ordersOf = (accounts: Accounts, id: string) => {
    const key = accounts.keys.get(id) ?? expect.fail(`no account ${id}`);
    return sim.ledger.orders({ venue: key.venue, apiKey: key.apiKey });
  };

  it('one-way and hedge followers of different sizes on every venue halve their long leg (floored to the step); a re-run sends nothing and reports the recorded quantity; a share below the minimum is skipped', async () => {
    const specs = [...onEveryVenue('big', 'oneway', '0.013'), ...onEveryVenue('small', 'hedge', '0.007'), { id: 'tiny-bybit', venue: 'bybit', mode: 'oneway', ratio: '0.001' } as const];
    const accounts = accountsFor(sim, specs);
    const journal = new MemoryOrderJournal();
    const signals = [open('L1', 'futuresLong', 'BTCUSDT', '1', '65000'), reduce('L2', 'reduceLong', 'BTCUSDT', '0.5', '1')];
    const before = new Map<string, Decimal>();

    const followers = connect(sim, accounts, journal);
    const session = await runCopySession(signals, followers, {
      onSignalDone: (_report, index) => {
        if (index === 0) for (const spec of specs) before.set(spec.id, legOf(accounts, spec.id, 'BTCUSDT', 'long'));
      },
    });
    await closeAll(followers);

    const reduced = byFollower(session.signals[1]?.results ?? []);
    for (const spec of specs) {
      const opened = before.get(spec.id) ?? new Decimal(0);
      expect(opened.toFixed(), `${spec.id} opened ratio × 1 BTC`).toBe(floorTo(new Decimal(spec.ratio), STEPS.BTCUSDT?.[spec.venue] ?? '1').toFixed());
      const share = floorTo(opened.div(2), STEPS.BTCUSDT?.[spec.venue] ?? '1');
      const orders = ordersOf(accounts, spec.id);
      if (spec.id === 'tiny-bybit') {
        // 0.001 × 0.5 floors to nothing on a 0.001 step: skipped, the leg and the ledger untouched.
        expect(reduced.get(spec.id)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/below the minimum 0\.001 \(step 0\.001\): 0\.5 of the master's 1 applied to the long leg 0\.001$/) as unknown });
        expect(legOf(accounts, spec.id, 'BTCUSDT', 'long').toFixed()).toBe('0.001');
        expect(orders).toHaveLength(1);
        continue;
      }
      expect(legOf(accounts, spec.id, 'BTCUSDT', 'long').toFixed(), `${spec.id}'s leg after the reduce`).toBe(opened.minus(share).toFixed());
      expect(orders).toHaveLength(2);
      const order = orders[1] ?? expect.fail('no reduce order');
      expect(order).toMatchObject({ market: 'futures', side: 'sell', clientOrderId: clientOrderIdFor(idempotencyKeyFor('L2', spec.id)) });
      expect(new Decimal(order.quantity.toString()).toFixed()).toBe(share.toFixed());
      if (spec.mode === 'hedge') expect(order.positionSide).toBe('long');
      else expect(order.reduceOnly).toBe(true);
      expect(reduced.get(spec.id)).toMatchObject({ status: 'placed', origin: 'placed' });
      expect(reduced.get(spec.id)?.quantity?.toFixed()).toBe(share.toFixed());
    }
    // Floored, not rounded: 0.0065 on a 0.001 step is 0.006, on Bitget's 0.0001 step 0.0065.
    expect(reduced.get('big-binance')?.quantity?.toFixed()).toBe('0.006');
    expect(reduced.get('big-bitget')?.quantity?.toFixed()).toBe('0.0065');

    // A restarted process re-runs the file: the journal answers, nothing reaches the venue, and the
    // report shows what was recorded (half the first leg), not a new half of what is left.
    const requests = sim.requests().length;
    const written: string[] = [];
    const again = await replay(signals, connect(sim, accounts, journal), { out: { write: (text: string) => written.push(text) }, dryRun: false, verbose: true });
    // Only the skipped pair, which placed nothing and so has no journal entry, is sized again: one position read, skipped again.
    const tiny = accounts.keys.get('tiny-bybit')?.apiKey;
    expect(sim.requests().slice(requests).map((entry) => [entry.method, entry.apiKey === tiny ? 'tiny-bybit' : entry.apiKey, entry.path])).toEqual([['GET', 'tiny-bybit', '/bybit/v5/position/list']]);
    expect(again.exitCode).toBe(0);
    const rerun = byFollower(again.session.signals[1]?.results ?? []);
    for (const spec of specs) {
      expect(ordersOf(accounts, spec.id)).toHaveLength(spec.id === 'tiny-bybit' ? 1 : 2);
      if (spec.id === 'tiny-bybit') continue;
      expect(rerun.get(spec.id)).toMatchObject({ status: 'placed', origin: 'journal' });
      expect(rerun.get(spec.id)?.quantity?.toFixed()).toBe(reduced.get(spec.id)?.quantity?.toFixed());
    }
    const output = written.join('');
    expect(output).toContain('L2 reduceLong BTCUSDT (0.5 of the master\'s 1)');
    expect(output).toMatch(/big-binance +binance +already placed\/filled +0\.006 /);
    expect(output).toMatch(/summary: 2 signals, 13 orders placed, 1 skipped, 0 failed/);
  });

  it('shorts: a reduce found on the venue after a 5xx is recovered, not sent twice; a dry run sizes from each leg and sends nothing; a reduce of the whole master leg closes each follower\'s whole leg', async () => {
    const specs = [...onEveryVenue('s-oneway', 'oneway', '0.013'), ...onEveryVenue('s-hedge', 'hedge', '0.007')];
    const accounts = accountsFor(sim, specs);
    const journal = new MemoryOrderJournal();
    let followers = connect(sim, accounts, journal);
    await runCopySession([open('S1', 'futuresShort', 'ETHUSDT', '10', '3500')], followers);
    const opened = new Map(specs.map((spec) => [spec.id, legOf(accounts, spec.id, 'ETHUSDT', 'short')]));
    const faulted = accounts.keys.get('s-hedge-bitget') ?? expect.fail('no account');
    sim.faults.add({ kind: 'commitThenFail', exchange: 'bitget', apiKey: faulted.apiKey, count: 1, mode: 'error5xx' });

    const halved = byFollower((await runCopySession([reduce('S2', 'reduceShort', 'ETHUSDT', '5', '10')], followers)).signals[0]?.results ?? []);

    for (const spec of specs) {
      const share = floorTo((opened.get(spec.id) ?? new Decimal(0)).div(2), STEPS.ETHUSDT?.[spec.venue] ?? '1');
      expect(share.gt(0)).toBe(true);
      expect(legOf(accounts, spec.id, 'ETHUSDT', 'short').toFixed(), spec.id).toBe((opened.get(spec.id) ?? new Decimal(0)).minus(share).toFixed());
      expect(ordersOf(accounts, spec.id).map((order) => order.side)).toEqual(['sell', 'buy']);
      expect(halved.get(spec.id)).toMatchObject({ status: 'placed', origin: spec.id === 's-hedge-bitget' ? 'recovered' : 'placed' });
      expect(halved.get(spec.id)?.quantity?.toFixed()).toBe(share.toFixed());
    }

    const left = new Map(specs.map((spec) => [spec.id, legOf(accounts, spec.id, 'ETHUSDT', 'short')]));
    const dry = byFollower((await runCopySession([reduce('S3', 'reduceShort', 'ETHUSDT', '2', '5')], followers, { dryRun: true })).signals[0]?.results ?? []);
    for (const spec of specs) {
      const leg = left.get(spec.id) ?? new Decimal(0);
      const share = floorTo(leg.mul('0.4'), STEPS.ETHUSDT?.[spec.venue] ?? '1');
      expect(dry.get(spec.id)).toMatchObject({ status: 'dry-run', reason: `would reduce the short leg ${leg.toFixed()} by ${share.toFixed()}` });
      expect(ordersOf(accounts, spec.id)).toHaveLength(2);
    }

    await closeAll(followers);
    followers = connect(sim, accounts, journal);
    const closed = byFollower((await runCopySession([reduce('S4', 'reduceShort', 'ETHUSDT', '5', '5')], followers)).signals[0]?.results ?? []);
    await closeAll(followers);
    for (const spec of specs) {
      expect(legOf(accounts, spec.id, 'ETHUSDT', 'short').toFixed(), `${spec.id} is flat`).toBe('0');
      const orders = ordersOf(accounts, spec.id);
      expect(orders).toHaveLength(3);
      expect(new Decimal(orders[2]?.quantity.toString() ?? '0').toFixed()).toBe(left.get(spec.id)?.toFixed());
      expect(closed.get(spec.id)).toMatchObject({ status: 'placed' });
      // Recorded as a close of the whole leg: a re-run re-issues the close, never a re-sized reduce.
      const entry = await journal.get({ exchange: spec.venue, account: spec.id, clientOrderId: clientOrderIdFor(idempotencyKeyFor('S4', spec.id)) });
      expect(entry?.request).toMatchObject({ operation: 'closeFuturesPosition', positionSide: 'short' });
    }
  });
});

const POSTGRES_URL = process.env.XPORT_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const postgres = await postgresAnswers();

describe.skipIf(!postgres && process.env.CI === undefined)('a reduce through the worker path (followerJobProcessor, PostgreSQL journal)', () => {
  let sim: Simulator;
  const table = `xport_reduce_${process.pid}_${Date.now()}`;
  let journal: PostgresOrderJournal;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    sim.prices.set('BTCUSDT', '65000');
    journal = new PostgresOrderJournal({ connectionString: POSTGRES_URL, table });
  });

  afterAll(async () => {
    await journal.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS public.${table}`);
    await client.end();
    await sim.close();
  });

  it('the job payload (the signal as JSON) reads back as the same reduce; the leg halves once, and the job run again answers from the journal with the recorded quantity', async () => {
    const accounts = accountsFor(sim, [{ id: 'w-bybit', venue: 'bybit', mode: 'hedge', ratio: '0.011' }]);
    const followers = connect(sim, accounts, journal);
    const runJob = followerJobProcessor(followers, journal);
    const job = (signal: Signal) => {
      // What `serve` queues: the checked signal as JSON, read back by the worker with the same parser.
      const payload = JSON.stringify(signal);
      expect(parseSignalsJsonl(payload)).toEqual([signal]);
      return { signalId: signal.id, followerId: 'w-bybit', payload, submittedAt: Date.now(), jobId: clientOrderIdFor(idempotencyKeyFor(signal.id, 'w-bybit')), attemptsMade: 0 };
    };
    const fallback = { followerId: 'w-bybit', exchange: 'bybit' as const, clientOrderKey: 'k', clientOrderId: 'c' };

    await runJob(job(open('W1', 'futuresLong', 'BTCUSDT', '1', '65000')));
    expect(workerLeg(sim, accounts).toFixed()).toBe('0.011');
    const first = followerResultFromJson((await runJob(job(reduce('W2', 'reduceLong', 'BTCUSDT', '1', '2')))).result, fallback);
    const second = followerResultFromJson((await runJob(job(reduce('W2', 'reduceLong', 'BTCUSDT', '1', '2')))).result, fallback);
    await closeAll(followers);

    expect(first).toMatchObject({ status: 'placed', origin: 'placed' });
    expect(first.quantity?.toFixed()).toBe('0.005');
    expect(second).toMatchObject({ status: 'placed', origin: 'journal' });
    expect(second.quantity?.toFixed()).toBe('0.005');
    expect(workerLeg(sim, accounts).toFixed()).toBe('0.006');
    const key = accounts.keys.get('w-bybit') ?? expect.fail('no account');
    expect(sim.ledger.orders({ venue: 'bybit', apiKey: key.apiKey })).toHaveLength(2);
  });
});

/** The worker test's one follower's long leg, as the simulator holds it (hedge mode). */
function workerLeg(sim: Simulator, accounts: Accounts): Decimal {
  const key = accounts.keys.get('w-bybit') ?? expect.fail('no account');
  const position = sim.positions('bybit', key.apiKey, 'BTCUSDT').find((entry) => entry.side === 'long');
  return position === undefined ? new Decimal(0) : new Decimal(position.size.toString());
}
