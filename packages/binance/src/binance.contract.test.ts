import { VenueRuntimeRegistry } from '@xport/ccxt';
import { CONTRACT_SYMBOL, describeExchangeContract, ledgerOrder, ledgerOrders, openLegs, requestBudgetOf, validQuantity } from '@xport/contract-tests';
import type { ContractContext } from '@xport/contract-tests';
import { Decimal, isAccountStreamPort } from '@xport/core';
import { expect } from 'vitest';

import { createBinanceAdapter } from './create-binance-adapter';

/** The order and time requests since `from`, as `METHOD path status` lines. */
function orderAndTimeRequests(ctx: ContractContext, from: number): string[] {
  return ctx
    .requests()
    .slice(from)
    .filter((entry) => /\/order$|\/time$/.test(entry.path))
    .map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
}

/**
 * A clock on real time whose sleeps end only when the test releases them: ccxt's listen-key timer,
 * which the account stream runs on the adapter's clock, fires when the test says.
 */
class HeldClock {
  readonly #sleeps: { readonly ms: number; readonly resolve: () => void }[] = [];

  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const entry = { ms, resolve };
      this.#sleeps.push(entry);
      signal?.addEventListener('abort', () => {
        this.#sleeps.splice(this.#sleeps.indexOf(entry), 1);
        reject(signal.reason as Error);
      }, { once: true });
    });
  }

  /** Ends every sleep of at least `ms`; how many it ended. */
  release(ms: number): number {
    const due = this.#sleeps.filter((entry) => entry.ms >= ms);
    for (const entry of due) {
      this.#sleeps.splice(this.#sleeps.indexOf(entry), 1);
      entry.resolve();
    }
    return due.length;
  }
}

/** Polls (real time, wide margin) until `check` holds. */
async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function binanceExtras(ctx: ContractContext<VenueRuntimeRegistry>): void {
  ctx.test("account stream: ccxt renews the USDⓈ-M listen key every 20 minutes on the adapter's clock, and not after the stream closed", async () => {
    const clock = new HeldClock();
    const account = ctx.createAccount();
    const watcher = ctx.createAdapter(account, { clock });
    if (!isAccountStreamPort(watcher)) throw new Error('binance: no AccountStreamPort');
    const stream = watcher.accountStream({ markets: [{ symbol: CONTRACT_SYMBOL, market: 'futures' }] });
    const iterator = stream[Symbol.asyncIterator]();
    const next = iterator.next();
    const renewals = (): number => ctx.requests(account.apiKey).filter((entry) => entry.method === 'PUT' && entry.path.endsWith('/fapi/v1/listenKey')).length;
    await eventually(() => ctx.requests(account.apiKey).some((entry) => entry.method === 'POST' && entry.path.endsWith('/fapi/v1/listenKey')), 'the listen key created');
    await eventually(() => clock.release(1_200_000) > 0, 'the renewal timer scheduled');
    await eventually(() => renewals() === 1, 'one PUT /fapi/v1/listenKey');

    await stream.close();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(clock.release(1_200_000), 'no renewal left scheduled after close').toBe(0);
    expect(renewals()).toBe(1);
  }, 60_000);

  ctx.test('clock sync: with the simulator 15 s ahead (past ccxt\'s 10 s recvWindow), an order fills after one -1021 and one resync', async () => {
    const { account, adapter } = await ctx.setup();
    ctx.sim.clock.skew(15_000);
    const from = ctx.requests().length;

    const result = await adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));

    expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
    expect(ledgerOrder(ctx, account.apiKey, result.orderId).clientOrderId).toBe(result.clientOrderId);
    expect(orderAndTimeRequests(ctx, from)).toEqual(['POST /binance/api/v3/order 400', 'GET /binance/api/v3/time 200', 'POST /binance/api/v3/order 200']);
  });

  ctx.test('clock sync: with the simulator 5 s ahead, an order still fills, with at most one resync', async () => {
    const { account, adapter } = await ctx.setup();
    ctx.sim.clock.skew(5_000);
    const from = ctx.requests().length;

    await adapter.executeFuturesLong(CONTRACT_SYMBOL, validQuantity(ctx.instrument('futures'), ctx.markPrice()), 5);

    expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
    expect(orderAndTimeRequests(ctx, from).filter((line) => line.includes('/time')).length).toBeLessThanOrEqual(1);
  });

  ctx.test('clock sync: with the simulator 5 s behind (our timestamps ahead), a read succeeds after one -1021 and one resync', async () => {
    const { adapter } = await ctx.setup();
    ctx.sim.clock.skew(-5_000);
    const from = ctx.requests().length;

    const balances = await adapter.getBalances();

    expect(balances.map((balance) => balance.asset)).toContain('USDT');
    const log = ctx.requests().slice(from).map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
    expect(log).toEqual(['GET /binance/api/v3/account 400', 'GET /binance/api/v3/time 200', 'GET /binance/api/v3/account 200']);
  });

  ctx.test('hedge mode closes through positionSide with no reduceOnly; one-way closes with reduceOnly', async () => {
    const hedge = await ctx.setup({ positionMode: 'hedge' });
    const size = validQuantity(ctx.instrument('futures'), ctx.markPrice());
    await hedge.adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);
    await hedge.adapter.executeFuturesShort(CONTRACT_SYMBOL, size, 5);

    const closed = await hedge.adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short');

    // The simulator refuses reduceOnly in hedge mode (-1106) as Binance does, and records what it got.
    expect(ledgerOrder(ctx, hedge.account.apiKey, closed.orderId)).toMatchObject({ side: 'buy', positionSide: 'short', reduceOnly: false });
    expect(openLegs(ctx, hedge.account.apiKey).map((leg) => leg.side)).toEqual(['long']);

    const oneway = await ctx.setup({ positionMode: 'oneway' });
    await oneway.adapter.executeFuturesShort(CONTRACT_SYMBOL, size, 5);
    const flat = await oneway.adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short');
    expect(ledgerOrder(ctx, oneway.account.apiKey, flat.orderId)).toMatchObject({ side: 'buy', positionSide: 'both', reduceOnly: true });
  });

  ctx.test('the shared request budget adopts X-MBX-USED-WEIGHT-1M, so weight spent by another client on this IP counts', async (test) => {
    const { adapter } = await ctx.setup();
    const budget = requestBudgetOf(adapter, 'spot');
    if (budget === undefined) {
      test.skip('no request budget exposed');
      return;
    }
    // Another process on the same IP spends weight: exchangeInfo costs 20 on Binance.
    let serverUsed = 0;
    for (let call = 0; call < 5; call += 1) {
      const response = await fetch(`${ctx.sim.url}/binance/api/v3/exchangeInfo`);
      await response.arrayBuffer();
      serverUsed = Number(response.headers.get('x-mbx-used-weight-1m'));
    }
    expect(serverUsed).toBeGreaterThan(budget.usage.used);

    await adapter.getBalances();

    expect(budget.usage.used).toBeGreaterThan(serverUsed);
  });
}

describeExchangeContract({
  name: 'binance',
  createAdapter: (options) => createBinanceAdapter(options),
  createRegistry: () => new VenueRuntimeRegistry(),
  extra: binanceExtras,
});
