import { PositionNotFoundError } from '@xport/core';
import type { Decimal } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectOrderMatchesLedger, expectRejection, ledgerOrder, ledgerOrders } from '../expectations';
import { openLegs, summariseLegs } from '../wallets';

export function describeHedgeMode<Registry>(ctx: ContractContext<Registry>, skipped: boolean): void {
  const quantity = (): Decimal => ctx.orderQuantity('futures');

  describe.skipIf(skipped)('futures in hedge mode', () => {
    ctx.test('discovers hedge mode at initialize() and opens long and short legs side by side, each with its leverage', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'hedge' });
      const longSize = quantity();
      const shortSize = quantity().mul(2);

      const long = await adapter.executeFuturesLong(CONTRACT_SYMBOL, longSize, 5);
      const short = await adapter.executeFuturesShort(CONTRACT_SYMBOL, shortSize, 5);

      expectOrderMatchesLedger(long, ledgerOrder(ctx, account.apiKey, long.orderId));
      expectOrderMatchesLedger(short, ledgerOrder(ctx, account.apiKey, short.orderId));
      expect(ledgerOrder(ctx, account.apiKey, long.orderId).positionSide).toBe('long');
      expect(ledgerOrder(ctx, account.apiKey, short.orderId).positionSide).toBe('short');
      const legs = summariseLegs(openLegs(ctx, account.apiKey)).sort((a, b) => a.side.localeCompare(b.side));
      expect(legs).toEqual([
        { direction: 'long', size: longSize.toFixed(), leverage: 5, side: 'long' },
        { direction: 'short', size: shortSize.toFixed(), leverage: 5, side: 'short' },
      ]);
    });

    ctx.test('works the same when the mode is given in the options instead of discovered', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'hedge' }, { positionMode: 'hedge' });

      await adapter.executeFuturesShort(CONTRACT_SYMBOL, quantity(), 4);

      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'short', size: quantity().toFixed(), leverage: 4, side: 'short' }]);
    });

    ctx.test('closeFuturesPosition flattens exactly that leg and leaves the other untouched', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'hedge' });
      const longSize = quantity();
      const shortSize = quantity().mul(3);
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, longSize, 5);
      await adapter.executeFuturesShort(CONTRACT_SYMBOL, shortSize, 5);

      const closed = await adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long');

      const order = ledgerOrder(ctx, account.apiKey, closed.orderId);
      expect(order).toMatchObject({ side: 'sell', positionSide: 'long' });
      expect(order.quantity.toFixed()).toBe(longSize.toFixed());
      expectOrderMatchesLedger(closed, order);
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'short', size: shortSize.toFixed(), leverage: 5, side: 'short' }]);

      const closedShort = await adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short');
      expect(ledgerOrder(ctx, account.apiKey, closedShort.orderId)).toMatchObject({ side: 'buy', positionSide: 'short' });
      expect(openLegs(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('closing a leg that is not open is PositionNotFoundError and leaves the open leg alone', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'hedge' });
      const size = quantity();
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);

      await expectRejection(adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short'), PositionNotFoundError);

      expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.toFixed(), leverage: 5, side: 'long' }]);
    });

    ctx.test('a second adapter on the same account setting the same leverage on a leg succeeds ("not modified" is success)', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'hedge' });
      await adapter.executeFuturesShort(CONTRACT_SYMBOL, quantity(), 6);
      const second = ctx.createAdapter(account);

      const result = await second.executeFuturesShort(CONTRACT_SYMBOL, quantity(), 6);

      expectOrderMatchesLedger(result, ledgerOrder(ctx, account.apiKey, result.orderId));
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'short', size: quantity().mul(2).toFixed(), leverage: 6, side: 'short' }]);
    });
  });
}
