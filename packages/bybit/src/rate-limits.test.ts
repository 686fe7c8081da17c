import { VenueRuntimeRegistry } from '@xport/ccxt';
import type { CcxtExchangeAdapter, VenueEvent } from '@xport/ccxt';
import { InstantClock } from '@xport/contract-tests';
import { Decimal, RateLimitError } from '@xport/core';
import type { ExchangeEvent } from '@xport/core';
import { startSimulator, systemClock } from '@xport/simulator';
import type { RateLimitBudgets, Simulator } from '@xport/simulator';
import { afterEach, describe, expect, it } from 'vitest';

import { createBybitAdapter } from './create-bybit-adapter';

const QUANTITY = new Decimal('0.01');

/**
 * One clock for the adapter and the simulator: the adapter's waits move the simulator's rolling
 * windows and bans, and nothing waits for real.
 */
interface Bench {
  readonly sim: Simulator;
  readonly clock: InstantClock;
  /** An adapter of the account; `registry` (default the bench's) stands for its process, `venueEvents` collects its venue events. */
  readonly adapter: (keys: { apiKey: string; secret: string }, events?: ExchangeEvent[], registry?: VenueRuntimeRegistry, venueEvents?: VenueEvent[]) => CcxtExchangeAdapter;
  readonly account: () => { apiKey: string; secret: string };
  /** How many order placements of the account reached the simulator, refused or not. */
  readonly createAnswers: (apiKey: string) => number;
}

const opened: Simulator[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sim) => sim.close()));
});

async function bench(budgets: RateLimitBudgets): Promise<Bench> {
  const clock = new InstantClock();
  const sim = await startSimulator({ port: 0, seed: 5, budgets, clock: { now: () => clock.now(), setTimeout: (callback, ms) => systemClock.setTimeout(callback, ms) } });
  opened.push(sim);
  const registry = new VenueRuntimeRegistry();
  return {
    sim,
    clock,
    adapter: (keys, events, own = registry, venueEvents) =>
      createBybitAdapter({
        apiKey: keys.apiKey,
        apiSecret: keys.secret,
        baseUrl: `${sim.url}/bybit`,
        clock,
        registry: own,
        ...(venueEvents === undefined ? {} : { onVenueEvent: (event: VenueEvent) => venueEvents.push(event) }),
        positionMode: 'oneway',
        ...(events === undefined ? {} : { onEvent: (event: ExchangeEvent) => events.push(event) }),
      }),
    account: () => sim.accounts.create({ venue: 'bybit', balances: { USDT: '100000' } }),
    createAnswers: (apiKey) => sim.requests({ exchange: 'bybit', apiKey }).filter((entry) => entry.path.endsWith('/v5/order/create')).length,
  };
}

describe('@xport/bybit under Bybit\'s rate limits', () => {
  it('paces an account by X-Bapi-Limit-Status: the order after the last place waits for the rolling second instead of drawing a 10006', async () => {
    const { sim, clock, adapter, account, createAnswers } = await bench({ bybitOrdersPerSecond: 2 });
    const keys = account();
    const trader = adapter(keys);
    await trader.initialize();
    const started = clock.now();

    for (let i = 0; i < 3; i++) await trader.executeFuturesLong('BTCUSDT', QUANTITY, 5);

    // Every create request reached the engine: none was refused.
    expect(sim.ledger.orders({ venue: 'bybit', apiKey: keys.apiKey })).toHaveLength(3);
    expect(createAnswers(keys.apiKey)).toBe(3);
    expect(clock.now() - started, 'waited for the rolling second on the injected clock').toBeGreaterThanOrEqual(1_000);
  });

  it('treats a 10006 on HTTP 200 as not sent: the order goes again with the same orderLinkId once the reset timestamp passes, and is placed once', async () => {
    const { sim, clock, adapter, account, createAnswers } = await bench({ bybitOrdersPerSecond: 2 });
    const keys = account();
    // A second process on the same account that shares no state with the first (no shared venue
    // state): it has not seen the first one's headers, nor spent from its account budget.
    const firstEvents: VenueEvent[] = [];
    const secondEvents: VenueEvent[] = [];
    const first = adapter(keys, undefined, undefined, firstEvents);
    const events: ExchangeEvent[] = [];
    const second = adapter(keys, events, new VenueRuntimeRegistry(), secondEvents);
    await Promise.all([first.initialize(), second.initialize()]);
    await first.executeFuturesLong('BTCUSDT', QUANTITY, 5);
    await first.executeFuturesLong('BTCUSDT', QUANTITY, 5);

    const result = await second.executeFuturesLong('BTCUSDT', QUANTITY, 5, { clientOrderId: 'paced-after-10006' });

    const ledger = sim.ledger.orders({ venue: 'bybit', apiKey: keys.apiKey });
    expect(ledger).toHaveLength(3);
    expect(ledger.filter((order) => order.clientOrderId === 'paced-after-10006')).toHaveLength(1);
    expect(result.clientOrderId).toBe('paced-after-10006');
    expect(result.orderId).toBe(ledger.at(-1)?.orderId);
    // One refusal for rate, the second process's 10006, which executed nothing; the adapter's hook saw it.
    const refusals = (list: VenueEvent[]): unknown[] => list.flatMap((event) => (event.type === 'rate_limited' ? [[event.refusal, event.scope, event.operation]] : []));
    expect(refusals(secondEvents)).toEqual([['10006', 'account', 'createOrder']]);
    expect(refusals(firstEvents)).toEqual([]);
    expect(createAnswers(keys.apiKey)).toBeGreaterThanOrEqual(4);
    const retry = events.find((event) => event.name === 'exchange.order.retry_not_sent' && (event.fields.error as { code?: unknown } | undefined)?.code === '10006');
    expect(retry?.fields.delayMs, 'waited for X-Bapi-Limit-Reset-Timestamp, not a guess').toBeGreaterThan(250);
    // The account's budget in the second process carries the pause until the reset.
    expect(secondEvents.some((event) => event.type === 'budget_wait' && event.scope === 'account')).toBe(true);
    // A UID's budget is that account's: the venue's IP-wide budget was not paused for it.
    expect(second.runtime.limiter('futures').usage.pausedUntil).toBeLessThanOrEqual(clock.now());
  });

  it('stops sending from the address for ten minutes after the IP limit\'s 403, then carries on', async () => {
    const { sim, clock, adapter, account } = await bench({ bybitIpRequestsPer5s: 8 });
    const keys = account();
    const venueEvents: VenueEvent[] = [];
    const trader = adapter(keys, undefined, undefined, venueEvents);
    await trader.initialize();

    // Reads past the address's 8 requests in 5 s: the refused read is retried after the ban.
    for (let i = 0; i < 8; i++) await trader.getBalances({ market: 'futures' });

    const log = sim.requests({ exchange: 'bybit' });
    const refused = log.filter((entry) => entry.status === 403);
    expect(refused, 'one refusal, no hammering during the ban').toHaveLength(1);
    const bannedAt = refused[0]?.time ?? 0;
    const after = log.filter((entry) => entry.time > bannedAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((entry) => entry.time - bannedAt >= 600_000 && entry.status === 200), 'nothing sent during the ten minutes').toBe(true);
    expect(clock.now() - bannedAt).toBeGreaterThanOrEqual(600_000);
    // The hook saw the address's refusal, and the retried read waiting out the ban (less its backoff) at the budget.
    const limited = venueEvents.flatMap((event) => (event.type === 'rate_limited' ? [[event.refusal, event.scope, event.waitMs]] : []));
    expect(limited).toEqual([['403', 'ip', 600_000]]);
    const waited = venueEvents.filter((event) => event.type === 'budget_wait' && event.scope === 'ip').map((event) => (event.type === 'budget_wait' ? event.waitedMs : 0));
    expect(Math.max(...waited)).toBeGreaterThan(500_000);
  });

  it('reports a refusal that outlasts its retries as a RateLimitError', async () => {
    const { sim, adapter, account } = await bench({ bybitOrdersPerSecond: 1 });
    const keys = account();
    const trader = adapter(keys);
    await trader.initialize();
    sim.faults.add({ kind: 'rateLimit', exchange: 'bybit', path: '/v5/order/create', ms: 100 });
    await expect(trader.executeFuturesLong('BTCUSDT', QUANTITY, 5)).rejects.toSatisfy((error: unknown) => RateLimitError.isInstance(error));
    expect(sim.ledger.orders({ venue: 'bybit', apiKey: keys.apiKey })).toHaveLength(0);
  });
});
