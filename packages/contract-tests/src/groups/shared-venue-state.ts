import { AuthenticationError, Decimal } from '@xport/core';
import { CircuitOpenError } from '@xport/resilience';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRejection, rejectionOf } from '../expectations';
import { breakerOf, breakerState, marketLoadsOf, requestBudgetOf } from '../venue-runtime-probe';

export function describeSharedVenueState<Registry>(ctx: ContractContext<Registry>): void {
  describe('state shared per venue across adapter instances', () => {
    ctx.test("an outage seen through one account's adapter opens the breaker for every adapter of the venue", async () => {
      const first = await ctx.setup();
      const second = await ctx.setup();
      ctx.sim.faults.add({ kind: 'error5xx', exchange: ctx.name });

      for (let call = 0; call < 10; call += 1) {
        if (CircuitOpenError.isInstance(await rejectionOf(first.adapter.getBalances()))) break;
      }
      const before = ctx.requests().length;

      const error = await rejectionOf(second.adapter.getBalances());

      expect(CircuitOpenError.isInstance(error), 'the second account is refused by the shared open breaker').toBe(true);
      expect(ctx.requests().length - before).toBe(0);
      const shared = breakerOf(first.adapter, 'spot');
      if (shared !== undefined) expect(breakerOf(second.adapter, 'spot')).toBe(shared);
    });

    ctx.test("one account's bad credentials never open the venue's breaker", async () => {
      const good = await ctx.setup();
      const bad = ctx.createAdapter(ctx.createAccount(), { apiSecret: 'not-the-secret-0123456789abcdef' });

      for (let call = 0; call < 8; call += 1) {
        await expectRejection(bad.getBalances(), AuthenticationError);
      }

      expect(breakerState(good.adapter, 'spot') ?? 'closed').toBe('closed');
      expect(breakerState(good.adapter, 'futures') ?? 'closed').toBe('closed');
      const balances = await good.adapter.getBalances();
      expect(balances.map((balance) => balance.asset)).toContain('USDT');
      await expectRejection(bad.getBalances(), AuthenticationError);
    });

    ctx.test('markets are loaded once per venue: initialize() of the second to tenth adapter sends no request', async () => {
      const first = await ctx.setup({}, { positionMode: 'oneway' });
      const firstLoad = ctx.requests().length;
      expect(firstLoad, 'the first initialize() loads the markets').toBeGreaterThan(0);

      const others = Array.from({ length: 9 }, () => ctx.createAdapter(ctx.createAccount(), { positionMode: 'oneway' }));
      for (const adapter of others) await adapter.initialize();

      expect(ctx.requests().length - firstLoad).toBe(0);
      const loads = marketLoadsOf(first.adapter);
      if (loads !== undefined) expect(loads).toBe(1);
      const info = await others[8]?.getSymbolInfo(CONTRACT_SYMBOL, { market: 'futures' });
      expect(info?.exchangeSymbol).toBe(CONTRACT_SYMBOL);
    });

    ctx.test('ten adapters initializing at once share one market load', async () => {
      const alone = ctx.createAdapter(ctx.createAccount(), { positionMode: 'oneway', ...ctx.separateRegistry() });
      await alone.initialize();
      const oneLoad = ctx.requests().length;

      const adapters = Array.from({ length: 10 }, () => ctx.createAdapter(ctx.createAccount(), { positionMode: 'oneway' }));
      await Promise.all(adapters.map((adapter) => adapter.initialize()));

      expect(ctx.requests().length - oneLoad, 'requests for ten concurrent initialize() calls').toBe(oneLoad);
      const loads = adapters[0] === undefined ? undefined : marketLoadsOf(adapters[0]);
      if (loads !== undefined) expect(loads).toBe(1);
    });

    ctx.test('close() releases one adapter; the markets it loaded stay shared with the others', async () => {
      const first = await ctx.setup({}, { positionMode: 'oneway' });
      await first.adapter.close();
      const before = ctx.requests().length;

      const next = ctx.createAdapter(ctx.createAccount(), { positionMode: 'oneway' });
      await next.initialize();

      expect(ctx.requests().length - before).toBe(0);
      expect((await next.getSymbolInfo(CONTRACT_SYMBOL)).exchangeSymbol).toBe(CONTRACT_SYMBOL);
    });

    ctx.test('markets are refreshed on a TTL: a day later the next initialize() loads them again, once for all callers', async () => {
      await ctx.setup({}, { positionMode: 'oneway' });
      const oneLoad = ctx.requests().length;
      ctx.clock.advance(24 * 3_600_000);

      const later = Array.from({ length: 3 }, () => ctx.createAdapter(ctx.createAccount(), { positionMode: 'oneway' }));
      await Promise.all(later.map((adapter) => adapter.initialize()));

      expect(ctx.requests().length - oneLoad, 'requests of the reload').toBe(oneLoad);
      const loads = later[0] === undefined ? undefined : marketLoadsOf(later[0]);
      if (loads !== undefined) expect(loads).toBe(2);
    });

    ctx.test('a spent budget is waited for before sending, not answered with a 429', async (test) => {
      const { account, adapter } = await ctx.setup();
      const budget = requestBudgetOf(adapter, 'spot');
      if (budget?.observe === undefined) {
        test.skip('the adapter exposes no request budget (adapter.runtime.limiter) to inspect');
        return;
      }
      // Another process on this IP spent the whole window, as a usage header would report it.
      budget.observe(budget.usage.capacity);
      const sleptBefore = ctx.clock.slept;
      const before = ctx.requests(account.apiKey).length;

      await adapter.getBalances();

      expect(ctx.clock.slept - sleptBefore, 'waited for the next window').toBeGreaterThan(0);
      expect(ctx.requests(account.apiKey).slice(before).map((entry) => entry.status)).toEqual([200]);
    });

    ctx.test("every adapter instance spends from one request budget per venue market", async (test) => {
      const first = await ctx.setup();
      const second = await ctx.setup();
      const budget = requestBudgetOf(first.adapter, 'spot');
      if (budget === undefined) {
        test.skip('the adapter exposes no request budget (adapter.runtime.limiter) to inspect');
        return;
      }
      expect(requestBudgetOf(second.adapter, 'spot'), 'both adapters hold the same budget').toBe(budget);

      const before = budget.usage.used;
      await first.adapter.getBalances();
      const afterFirst = budget.usage.used;
      await second.adapter.getBalances();
      const afterSecond = budget.usage.used;
      await first.adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));

      expect(afterFirst).toBeGreaterThan(before);
      expect(afterSecond).toBeGreaterThan(afterFirst);
      expect(budget.usage.used).toBeGreaterThan(afterSecond);
    });
  });
}
