import type { Decimal } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectOrderMatchesLedger, ledgerOrder } from '../expectations';
import { openLegs, summariseLegs } from '../wallets';

export function describeLeverage<Registry>(ctx: ContractContext<Registry>): void {
  const quantity = (): Decimal => ctx.orderQuantity('futures');

  describe('leverage', () => {
    ctx.test('is set only when it differs from the last value set for the symbol: one request per change, none per order', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });

      await adapter.executeFuturesLong(CONTRACT_SYMBOL, quantity(), 5);
      expect(ctx.setLeverageRequests(account.apiKey)).toHaveLength(1);
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, quantity(), 5);
      await adapter.executeFuturesShort(CONTRACT_SYMBOL, quantity(), 5);
      expect(ctx.setLeverageRequests(account.apiKey)).toHaveLength(1);
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, quantity(), 7);
      expect(ctx.setLeverageRequests(account.apiKey)).toHaveLength(2);

      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: quantity().mul(2).toFixed(), leverage: 7, side: 'both' }]);
    });

    ctx.test('a second adapter on the same account (empty memo) setting the same leverage succeeds: "not modified" is success', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, quantity(), 8);
      const second = ctx.createAdapter(account);

      const result = await second.executeFuturesLong(CONTRACT_SYMBOL, quantity(), 8);

      expectOrderMatchesLedger(result, ledgerOrder(ctx, account.apiKey, result.orderId));
      // The second instance may ask (and hear "not modified") or know better; it must never fail.
      expect(ctx.setLeverageRequests(account.apiKey).length).toBeLessThanOrEqual(2);
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: quantity().mul(2).toFixed(), leverage: 8, side: 'both' }]);
    });
  });
}
