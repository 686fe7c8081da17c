import { VenueRuntimeRegistry } from '@xport/ccxt';
import { Decimal, OrderStatusUnknownError } from '@xport/core';
import type { ExchangePort } from '@xport/core';
import { CircuitOpenError } from '@xport/resilience';
import type { Clock } from '@xport/resilience';
import { startSimulator } from '@xport/simulator';
import type { Simulator } from '@xport/simulator';
import { VENUE_DESCRIPTORS } from '@xport/venues';
import type { VenueDescriptor } from '@xport/venues';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Time the test moves by hand; waits resolve at once, so backoff costs nothing real. */
class SteppedClock implements Clock {
  #now = 1_000_000;
  now(): number {
    return this.#now;
  }
  sleep(ms: number): Promise<void> {
    if (ms > 0) this.#now += ms;
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

describe('an outage of one venue', () => {
  let sim: Simulator;
  const clock = new SteppedClock();
  const registry = new VenueRuntimeRegistry();
  const adapters = new Map<string, ExchangePort>();

  const connect = (descriptor: VenueDescriptor): ExchangePort => {
    const account = sim.accounts.create({ venue: descriptor.name, balances: { USDT: '1000000' }, futuresBalances: { USDT: '1000000' } });
    return descriptor.create({
      apiKey: account.apiKey,
      apiSecret: account.secret,
      passphrase: account.passphrase,
      baseUrl: `${sim.url}/${descriptor.name}`,
      extra: { registry, clock, timeoutMs: 2_000, placement: { visibilityMs: 1_000, lookups: 2 } },
    });
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 11 });
    for (const descriptor of VENUE_DESCRIPTORS) adapters.set(descriptor.name, connect(descriptor));
    await Promise.all([...adapters.values()].map((adapter) => adapter.initialize()));
  });

  afterAll(async () => {
    await sim.close();
  });

  const breakerState = (venue: string): string | undefined =>
    registry
      .runtimes()
      .find((runtime) => runtime.profile.id === venue)
      ?.breaker('spot').state;

  const adapter = (name: string): ExchangePort => {
    const found = adapters.get(name);
    if (found === undefined) throw new Error(name);
    return found;
  };

  it('fails fast on that venue only, then recovers with no lost or duplicated order', async () => {
    const outage = sim.faults.add({ kind: 'error5xx', exchange: 'binance' });
    const ids = Array.from({ length: 5 }, (_, i) => `outage-${i}`);

    // Five orders whose fate the venue cannot tell: each is an outage failure for the breaker.
    for (const clientOrderId of ids) {
      const error = await adapter('binance').executeSpotBuy('BTCUSDT', new Decimal('0.001'), { clientOrderId }).catch((caught: unknown) => caught);
      expect(OrderStatusUnknownError.isInstance(error), String(error)).toBe(true);
    }

    // Open: refused at once, with no request sent and no wait on the adapter's clock. The wall-clock
    // bound is wide on purpose (the suite runs with the other core busy); what it rules out is a
    // request timeout (10 s) or a backoff.
    const before = sim.requests({ exchange: 'binance' }).length;
    const clockBefore = clock.now();
    const started = performance.now();
    const refused = await adapter('binance').executeSpotBuy('BTCUSDT', new Decimal('0.001'), { clientOrderId: 'outage-refused' }).catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - started;
    expect(CircuitOpenError.isInstance(refused)).toBe(true);
    expect(clock.now()).toBe(clockBefore);
    expect(elapsedMs).toBeLessThan(250);
    expect(sim.requests({ exchange: 'binance' }).length).toBe(before);
    expect(breakerState('binance')).toBe('open');

    // The other venues are not affected.
    await expect(adapter('bybit').executeSpotBuy('BTCUSDT', new Decimal('0.001'))).resolves.toMatchObject({ status: 'filled' });
    await expect(adapter('bitget').executeFuturesLong('ETHUSDT', new Decimal('0.1'), 5)).resolves.toMatchObject({ status: 'filled' });

    // The outage ends; after the open duration the breaker lets a trial through and closes.
    sim.faults.remove(outage.id);
    clock.advance(60_000);
    for (const clientOrderId of [...ids, 'outage-refused']) {
      // Re-sent with the same ids, as OrderStatusUnknownError asks: each placed exactly once.
      await expect(adapter('binance').executeSpotBuy('BTCUSDT', new Decimal('0.001'), { clientOrderId })).resolves.toMatchObject({ clientOrderId, status: 'filled' });
    }
    const ledger = sim.ledger.orders({ venue: 'binance' });
    for (const clientOrderId of [...ids, 'outage-refused']) {
      expect(ledger.filter((order) => order.clientOrderId === clientOrderId)).toHaveLength(1);
    }
    expect(ledger).toHaveLength(ids.length + 1);
    expect(breakerState('binance')).toBe('closed');
    expect(breakerState('bybit')).toBe('closed');
  }, 60_000);
});
