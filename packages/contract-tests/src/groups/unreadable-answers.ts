import { Decimal, ExchangeUnavailableError, PositionNotFoundError } from '@xport/core';
import { CircuitOpenError } from '@xport/resilience';
import { describe, expect } from 'vitest';

import { adapterView, simulatorView } from '../balance-views';
import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRejection, ledgerOrders, rejectionOf } from '../expectations';
import { breakerState } from '../venue-runtime-probe';
import { openLegs } from '../wallets';

/** Reads fail fast in these tests: one retry, so "cut off on every try" costs two requests. */
const ONE_RETRY = { retry: { maxRetries: 1, jitter: 'none', baseDelayMs: 10 } } as const;

/**
 * The simulator's `malformed` fault answers HTTP 200 with a body cut off mid-JSON: the venue said
 * something, and nobody can tell what. Such an answer must never become data (an empty wallet, a
 * zero balance, no position, no markets); it is an outage like a 5xx.
 */
export function describeUnreadableAnswers<Registry>(ctx: ContractContext<Registry>): void {
  const cutOff = (apiKey: string): number => ctx.requests(apiKey).filter((entry) => entry.fault === 'malformed').length;

  describe('answers cut off mid-body', () => {
    for (const market of ['spot', 'futures'] as const) ctx.test(`${market} balances: one cut-off answer is read again, and the balances are the venue's`, async () => {
      const { account, adapter } = await ctx.setup({ balances: { USDT: '4321.5', BTC: '0.25' }, futuresBalances: { USDT: '1234.5' } });
      ctx.sim.faults.add({ kind: 'malformed', exchange: ctx.name, apiKey: account.apiKey, count: 1 });

      const balances = await adapter.getBalances({ market });

      expect(cutOff(account.apiKey)).toBe(1);
      expect(adapterView(balances)).toEqual(simulatorView(ctx.sim, ctx.name, account.apiKey, market));
    });

    for (const market of ['spot', 'futures'] as const) ctx.test(`${market} balances cut off on every try are ExchangeUnavailableError, never an empty wallet or a zero balance, and open the breaker`, async () => {
      const { account, adapter } = await ctx.setup({}, ONE_RETRY);
      const from = ctx.requests(account.apiKey).length;
      ctx.sim.faults.add({ kind: 'malformed', exchange: ctx.name, apiKey: account.apiKey });

      await expectRejection(adapter.getBalances({ market }), ExchangeUnavailableError);
      await expectRejection(adapter.getBalance('USDT', { market }), ExchangeUnavailableError);

      // Counted like any outage: the venue market's breaker opens and then nothing is sent.
      let refusedByBreaker = false;
      for (let call = 0; call < 10 && !refusedByBreaker; call += 1) refusedByBreaker = CircuitOpenError.isInstance(await rejectionOf(adapter.getBalances({ market })));
      expect(refusedByBreaker, 'the breaker opened').toBe(true);
      expect(breakerState(adapter, market) ?? 'open').toBe('open');
      expect(ctx.requests(account.apiKey).slice(from).filter((entry) => entry.fault === undefined), 'every balance request was cut off').toEqual([]);
    });

    ctx.test('a cut-off market list fails initialize() with ExchangeUnavailableError and is not kept: the next adapter loads the real markets and trades', async () => {
      // Learn the venue's market-list requests from a load in a registry of its own.
      const from = ctx.requests().length;
      await ctx.createAdapter(ctx.createAccount(), { positionMode: 'oneway', ...ctx.separateRegistry() }).initialize();
      const marketList = ctx.requestPattern('marketList');
      const listPath = ctx.requests().slice(from).find((entry) => marketList.test(entry.path))?.path ?? expect.fail('no market-list request in a market load');
      ctx.sim.faults.add({ kind: 'malformed', exchange: ctx.name, path: listPath, count: 1 });
      const account = ctx.createAccount();

      const first = ctx.createAdapter(account, { positionMode: 'oneway', retry: { maxRetries: 0 } });
      await expectRejection(first.initialize(), ExchangeUnavailableError);
      expect(ctx.requests().filter((entry) => entry.fault === 'malformed')).toHaveLength(1);

      // Same registry: an empty or partial market set left behind would answer SymbolNotFoundError here.
      const next = ctx.createAdapter(account, { positionMode: 'oneway' });
      expect((await next.getSymbolInfo(CONTRACT_SYMBOL)).exchangeSymbol).toBe(CONTRACT_SYMBOL);
      const order = await next.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));
      expect(ledgerOrders(ctx, account.apiKey).map((entry) => entry.orderId)).toEqual([order.orderId]);
      await first.initialize();
      expect((await first.getSymbolInfo(CONTRACT_SYMBOL, { market: 'futures' })).exchangeSymbol).toBe(CONTRACT_SYMBOL);
    });

    ctx.test('a cut-off positions answer is never "no position": closeFuturesPosition throws ExchangeUnavailableError and the position stays open', async () => {
      const { account, adapter } = await ctx.setup({}, { positionMode: 'oneway', ...ONE_RETRY });
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 5);
      // Learn the venue's positions request from a close of the side that is not open.
      const from = ctx.requests(account.apiKey).length;
      await expectRejection(adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short'), PositionNotFoundError);
      const positions = ctx.requestPattern('positions');
      const positionsPath = ctx.requests(account.apiKey).slice(from).find((entry) => positions.test(entry.path))?.path ?? expect.fail('no positions request in a close');
      ctx.sim.faults.add({ kind: 'malformed', exchange: ctx.name, apiKey: account.apiKey, path: positionsPath });

      const error = await expectRejection(adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long'), ExchangeUnavailableError);

      expect(PositionNotFoundError.isInstance(error)).toBe(false);
      expect(openLegs(ctx, account.apiKey).map((leg) => leg.side)).toHaveLength(1);
      expect(ledgerOrders(ctx, account.apiKey), 'no close order was sent').toHaveLength(1);
      ctx.sim.faults.clear();
      await adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long');
      expect(openLegs(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('an order answer cut off before execution is looked up by its client order id, then sent again with it: one order', async () => {
      const { account, adapter } = await ctx.setup();
      const clientOrderId = 'cutoffanswer1';
      // The first signed request of the order is the order itself on every venue but Bitget's spot buy (a public ticker).
      ctx.sim.faults.add({ kind: 'malformed', exchange: ctx.name, apiKey: account.apiKey, count: 1 });

      const result = await adapter.executeSpotSell(CONTRACT_SYMBOL, new Decimal('0.01'), { clientOrderId });

      expect(cutOff(account.apiKey)).toBe(1);
      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders.map((order) => [order.orderId, order.clientOrderId])).toEqual([[result.orderId, clientOrderId]]);
    });
  });
}
