import { Decimal, OrderStatusUnknownError } from '@xport/core';
import type { CommitThenFailMode, VenueName } from '@xport/simulator';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectOrderMatchesLedger, ledgerOrders } from '../expectations';

/** Where each venue's spot order is read back by client order id. */
const SPOT_ORDER_QUERY_PATHS: Readonly<Record<VenueName, string>> = {
  binance: '/api/v3/order',
  bybit: '/v5/order/realtime',
  bitget: '/spot/trade/orderInfo',
};

export function describeExactlyOnce<Registry>(ctx: ContractContext<Registry>): void {
  describe('orders are placed exactly once', () => {
    for (const mode of ['error5xx', 'reset'] as const satisfies readonly CommitThenFailMode[]) {
      ctx.test(`an order executed but answered with ${mode === 'error5xx' ? 'a 5xx' : 'a reset connection'} is found by its client order id, not placed again`, async () => {
        const { account, adapter } = await ctx.setup();
        ctx.sim.faults.add({ kind: 'commitThenFail', exchange: ctx.name, apiKey: account.apiKey, count: 1, mode });

        const result = await adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));

        const orders = ledgerOrders(ctx, account.apiKey);
        expect(orders).toHaveLength(1);
        expectOrderMatchesLedger(result, orders[0] ?? expect.fail('no order'));
        expect(ctx.requests(account.apiKey).filter((entry) => entry.fault === 'commitThenFail'), 'the fault hit the order').toHaveLength(1);
      });
    }

    ctx.test('an order refused with a 5xx before it executed is proven absent, then sent again with the same client order id: one fill', async () => {
      const { account, adapter } = await ctx.setup({}, { positionMode: 'oneway' });
      ctx.sim.faults.add({ kind: 'error5xx', exchange: ctx.name, apiKey: account.apiKey, count: 1 });

      const result = await adapter.executeFuturesLong(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 5);

      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders).toHaveLength(1);
      expect(orders[0]?.clientOrderId).toBe(result.clientOrderId);
      expect(ctx.requests(account.apiKey).filter((entry) => entry.fault === 'error5xx')).toHaveLength(1);
    });

    ctx.test('an order whose read-back by client order id is refused for rate is not sent again', async () => {
      // Binance answers with the fill (its path is the create's, so the create meets the 429 and is
      // re-sent unexecuted); Bybit and Bitget answer ids only and the order is read back.
      const { account, adapter } = await ctx.setup();
      ctx.sim.faults.add({ kind: 'rateLimit', exchange: ctx.name, apiKey: account.apiKey, path: SPOT_ORDER_QUERY_PATHS[ctx.name], count: 1, ms: 100 });

      const result = await adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));

      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders).toHaveLength(1);
      expectOrderMatchesLedger(result, orders[0] ?? expect.fail('no order'));
      expect(ctx.requests(account.apiKey).filter((entry) => entry.fault === 'rateLimit'), 'the fault hit').toHaveLength(1);
    });

    ctx.test('an order the venue accepted but does not show past the visibility window is never sent again', async () => {
      // Where the venue answers with ids only (Bybit, Bitget), the fill is read back by client order
      // id; a venue may free that id once the order filled, so a second send would be a second order.
      const { account, adapter } = await ctx.setup();
      ctx.sim.faults.add({ kind: 'queryLag', exchange: ctx.name, apiKey: account.apiKey, ms: 600_000 });

      const outcome = await adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01')).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );

      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders, 'one order whatever the lookups saw').toHaveLength(1);
      if ('result' in outcome) expectOrderMatchesLedger(outcome.result, orders[0] ?? expect.fail('no order'));
      else {
        const unknown = OrderStatusUnknownError.isInstance(outcome.error) ? outcome.error : expect.fail(`not OrderStatusUnknownError: ${String(outcome.error)}`);
        expect(unknown.clientOrderId).toBe(orders[0]?.clientOrderId);
      }
    });
  });
}
