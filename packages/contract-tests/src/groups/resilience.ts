import { Decimal, ExchangeUnavailableError, InsufficientBalanceError, InvalidOrderError } from '@xport/core';
import type { ExchangePort, MarketType } from '@xport/core';
import { CircuitOpenError } from '@xport/resilience';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRejection, ledgerOrders, rejectionOf } from '../expectations';
import { belowMinimumNotionalQuantity } from '../market-fixtures';
import { breakerState } from '../venue-runtime-probe';
import { walletTotal } from '../wallets';

/**
 * The wait the venue names in the rate-limit fault (Retry-After; Bybit's 10006 names it in
 * X-Bapi-Limit-Reset-Timestamp instead); the adapter must wait at least this long.
 */
const RETRY_AFTER_MS = 3_000;
const OPEN_DURATION_MS = 30_000;
const REFUSALS = 6;

/** Calls `read` until it fails with CircuitOpenError (at most `limit` calls); returns the failures before it. */
async function driveUntilOpen(read: () => Promise<unknown>, limit = 10): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (let call = 0; call < limit; call += 1) {
    const error = await rejectionOf(read());
    if (CircuitOpenError.isInstance(error)) return failures;
    failures.push(error);
  }
  expect.fail(`the breaker did not open within ${limit} failing calls`);
}

async function timed(action: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await rejectionOf(action());
  return { error, ms: performance.now() - started };
}

export function describeResilience<Registry>(ctx: ContractContext<Registry>): void {
  const faulted = (apiKey: string): string[] =>
    ctx
      .requests(apiKey)
      .filter((entry) => entry.fault !== undefined)
      .map((entry) => entry.fault ?? '');

  describe('rate limits, retries and the breaker', () => {
    ctx.test('an order refused for rate is sent again after the wait the venue names, then fills once', async () => {
      const { account, adapter } = await ctx.setup();
      ctx.sim.faults.add({ kind: 'rateLimit', exchange: ctx.name, apiKey: account.apiKey, count: 1, ms: RETRY_AFTER_MS });
      const sleptBefore = ctx.clock.slept;

      await adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));

      expect(faulted(account.apiKey)).toEqual(['rateLimit']);
      expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
      expect(ctx.clock.slept - sleptBefore, 'waited (on the injected clock) as long as the venue said').toBeGreaterThanOrEqual(RETRY_AFTER_MS);
    });

    ctx.test('a read refused for rate is retried after the wait the venue names, then succeeds', async () => {
      const { account, adapter } = await ctx.setup();
      ctx.sim.faults.add({ kind: 'rateLimit', exchange: ctx.name, apiKey: account.apiKey, count: 1, ms: RETRY_AFTER_MS });
      const sleptBefore = ctx.clock.slept;

      const balances = await adapter.getBalances();

      expect(balances.map((balance) => balance.asset)).toContain('USDT');
      expect(faulted(account.apiKey)).toEqual(['rateLimit']);
      expect(ctx.clock.slept - sleptBefore).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
    });

    ctx.test('5xx answers on a read are retried with growing backoff, then it succeeds', async () => {
      const { account, adapter } = await ctx.setup({}, { retry: { jitter: 'none', baseDelayMs: 200, maxRetries: 3 } });
      ctx.sim.faults.add({ kind: 'error5xx', exchange: ctx.name, apiKey: account.apiKey, count: 2 });
      const sleepsBefore = ctx.clock.sleeps.length;

      const balances = await adapter.getBalances({ market: 'futures' });

      expect(balances.map((balance) => balance.asset)).toContain('USDT');
      expect(faulted(account.apiKey)).toEqual(['error5xx', 'error5xx']);
      const waits = ctx.clock.sleeps.slice(sleepsBefore).filter((ms) => ms > 0);
      expect(waits).toEqual([200, 400]);
    });

    ctx.test('a connection reset on a read is retried, then it succeeds', async () => {
      const { account, adapter } = await ctx.setup();
      ctx.sim.faults.add({ kind: 'reset', exchange: ctx.name, apiKey: account.apiKey, count: 1 });

      const balance = await adapter.getBalance('USDT');

      expect(balance.total.toFixed()).toBe(walletTotal(ctx, account.apiKey, 'spot', 'USDT').toFixed());
      expect(faulted(account.apiKey)).toEqual(['reset']);
    });

    ctx.test('an outage opens the breaker after five failures; then calls fail in under a millisecond without a request; after the open duration it half-opens and recovers', async () => {
      const { account, adapter } = await ctx.setup({}, { breaker: { openDurationMs: OPEN_DURATION_MS } });
      ctx.sim.faults.add({ kind: 'error5xx', exchange: ctx.name });

      const failures = await driveUntilOpen(() => adapter.getBalances());

      expect(failures.every((error) => ExchangeUnavailableError.isInstance(error))).toBe(true);
      expect(faulted(account.apiKey), 'requests that reached the venue before the breaker opened').toHaveLength(5);
      expect(breakerState(adapter, 'spot') ?? 'open').toBe('open');

      const before = ctx.requests().length;
      const refused: { error: unknown; ms: number }[] = [];
      for (let call = 0; call < 5; call += 1) refused.push(await timed(() => adapter.getBalances()));
      expect(refused.every((call) => CircuitOpenError.isInstance(call.error))).toBe(true);
      // The median of five, so one GC pause on a busy machine does not decide it.
      const median = refused.map((call) => call.ms).sort((a, b) => a - b)[2];
      expect(median, 'an open breaker answers at once (ms, median of 5)').toBeLessThan(1);
      expect(ctx.requests().length - before, 'requests sent while open').toBe(0);

      // The breaker is the spot market's: futures still reaches the venue (and still fails).
      const futures = await rejectionOf(adapter.getBalances({ market: 'futures' }));
      expect(CircuitOpenError.isInstance(futures), 'the futures breaker is a different breaker').toBe(false);

      ctx.sim.faults.clear();
      ctx.clock.advance(OPEN_DURATION_MS);
      await adapter.getBalances();
      await adapter.getBalances();
      expect(breakerState(adapter, 'spot') ?? 'closed').toBe('closed');
      expect(await adapter.getBalances()).not.toHaveLength(0);
    });

    ctx.test('business refusals (insufficient balance, invalid order) never trip the breaker', async () => {
      const { account, adapter } = await ctx.setup({ balances: { USDT: '10' }, futuresBalances: {} });
      const spot = ctx.instrument('spot');
      const tooSmall = belowMinimumNotionalQuantity(spot, ctx.markPrice());

      // Six refusals in a row, one more than the five failures that open a breaker. Kept to six
      // because the venue's per-second order limit runs on real time while the adapter's clock does not.
      for (let attempt = 0; attempt < REFUSALS; attempt += 1) {
        // With no fill price seen yet, only the venue can refuse an order under the minimum notional.
        if (tooSmall !== undefined && attempt % 2 === 1) await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, tooSmall), InvalidOrderError);
        else await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01')), InsufficientBalanceError);
      }

      expectClosed(adapter, 'spot');
      const before = ctx.requests(account.apiKey).length;
      expect((await adapter.getBalance('USDT')).total.toFixed()).toBe(walletTotal(ctx, account.apiKey, 'spot', 'USDT').toFixed());
      expect(ctx.requests(account.apiKey).length, 'the next call still reaches the venue').toBeGreaterThan(before);
    });
  });
}

function expectClosed(adapter: ExchangePort, market: MarketType): void {
  expect(breakerState(adapter, market) ?? 'closed').toBe('closed');
}
