import { PositionNotFoundError } from '@xport/core';
import type { Decimal } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectOrderMatchesLedger, expectRejection, ledgerOrder, ledgerOrders } from '../expectations';
import { openLegs, summariseLegs } from '../wallets';

export function describeFuturesOrders<Registry>(ctx: ContractContext<Registry>): void {
  const quantity = (): Decimal => ctx.orderQuantity('futures');

  describe('futures in one-way mode', () => {
    ctx.test('a long opens a long position with the requested leverage, and the result is the ledger order', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });
      const size = quantity();

      const result = await adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);

      const order = ledgerOrder(ctx, account.apiKey, result.orderId);
      expect(order).toMatchObject({ market: 'futures', side: 'buy', reduceOnly: false });
      expectOrderMatchesLedger(result, order);
      expect(result.positionSide).toBe('long');
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.toFixed(), leverage: 5, side: 'both' }]);
    });

    ctx.test('a short opens a short position with the requested leverage', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });
      const size = quantity();

      const result = await adapter.executeFuturesShort(CONTRACT_SYMBOL, size, 3);

      expectOrderMatchesLedger(result, ledgerOrder(ctx, account.apiKey, result.orderId));
      expect(result.positionSide).toBe('short');
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'short', size: size.toFixed(), leverage: 3, side: 'both' }]);
    });

    ctx.test('closeFuturesPosition flattens the whole position with one order of its size', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });
      const size = quantity();
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);

      const result = await adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long');

      const order = ledgerOrder(ctx, account.apiKey, result.orderId);
      expect(order).toMatchObject({ market: 'futures', side: 'sell' });
      expect(order.quantity.toFixed()).toBe(size.mul(2).toFixed());
      expectOrderMatchesLedger(result, order);
      expect(result.reduceOnly).toBe(true);
      expect(openLegs(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('closing a short flattens it with a buy', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });
      await adapter.executeFuturesShort(CONTRACT_SYMBOL, quantity(), 5);

      const result = await adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short');

      expect(ledgerOrder(ctx, account.apiKey, result.orderId).side).toBe('buy');
      expect(openLegs(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('closing with no position is PositionNotFoundError, and no order reaches the ledger', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });

      const error = await expectRejection(adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long'), PositionNotFoundError);

      expect(error).toMatchObject({ exchange: ctx.name });
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('closing the side that is not open is PositionNotFoundError and leaves the open one alone', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });
      const size = quantity();
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);

      await expectRejection(adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short'), PositionNotFoundError);

      expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.toFixed(), leverage: 5, side: 'both' }]);
    });
  });
}
