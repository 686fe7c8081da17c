import { Decimal } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectOrderMatchesLedger, ledgerOrder, ledgerOrders } from '../expectations';
import { toDecimal } from '../market-fixtures';
import { walletTotal } from '../wallets';

/** 0.01 BTC: a valid spot order on every venue the simulator models. */
const SPOT_QUANTITY = new Decimal('0.01');

export function describeSpotOrders<Registry>(ctx: ContractContext<Registry>): void {
  describe('spot orders', () => {
    ctx.test('a market buy of 0.01 BTC spends the cost in USDT, receives 0.01 BTC less the fee, and the result is the ledger order', async () => {
      const { account, adapter } = await ctx.setup();
      const quoteBefore = walletTotal(ctx, account.apiKey, 'spot', 'USDT');
      const baseBefore = walletTotal(ctx, account.apiKey, 'spot', 'BTC');

      const result = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY);

      const order = ledgerOrder(ctx, account.apiKey, result.orderId);
      expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
      expect(order).toMatchObject({ market: 'spot', side: 'buy', symbol: CONTRACT_SYMBOL });
      expect(toDecimal(order.quantity).toFixed()).toBe('0.01');
      expectOrderMatchesLedger(result, order);
      // The venues take a spot fee from the asset the order receives: the base on a buy.
      expect(order.feeAsset, 'fee asset of a buy').toBe('BTC');
      const received = SPOT_QUANTITY.minus(toDecimal(order.fee));
      expect(walletTotal(ctx, account.apiKey, 'spot', 'BTC').minus(baseBefore).toFixed()).toBe(received.toFixed());
      expect(quoteBefore.minus(walletTotal(ctx, account.apiKey, 'spot', 'USDT')).toFixed()).toBe(toDecimal(order.cost).toFixed());
    });

    ctx.test('a market sell of 0.01 BTC moves the balances by exactly the fill, and the result is the ledger order', async () => {
      const { account, adapter } = await ctx.setup();
      const quoteBefore = walletTotal(ctx, account.apiKey, 'spot', 'USDT');
      const baseBefore = walletTotal(ctx, account.apiKey, 'spot', 'BTC');

      const result = await adapter.executeSpotSell(CONTRACT_SYMBOL, SPOT_QUANTITY);

      const order = ledgerOrder(ctx, account.apiKey, result.orderId);
      expect(order).toMatchObject({ market: 'spot', side: 'sell', symbol: CONTRACT_SYMBOL });
      expectOrderMatchesLedger(result, order);
      expect(order.feeAsset, 'fee asset of a sell').toBe('USDT');
      expect(baseBefore.minus(walletTotal(ctx, account.apiKey, 'spot', 'BTC')).toFixed()).toBe('0.01');
      const received = toDecimal(order.cost).minus(toDecimal(order.fee));
      expect(walletTotal(ctx, account.apiKey, 'spot', 'USDT').minus(quoteBefore).toFixed()).toBe(received.toFixed());
    });

    ctx.test("sends the caller's client order id, and one derived from an idempotency key is stable", async () => {
      const { account, adapter } = await ctx.setup();
      const given = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'contract-given-id-1' });
      expect(ledgerOrder(ctx, account.apiKey, given.orderId).clientOrderId).toBe('contract-given-id-1');

      const keyed = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { idempotencyKey: 'signal-42:follower-7' });
      const keyedOrder = ledgerOrder(ctx, account.apiKey, keyed.orderId);
      expect(keyed.clientOrderId).toBe(keyedOrder.clientOrderId);
      // A second account's adapter (a restarted process, say) derives the same id from the same key.
      const other = await ctx.setup();
      const again = await other.adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { idempotencyKey: 'signal-42:follower-7' });
      expect(ledgerOrder(ctx, other.account.apiKey, again.orderId).clientOrderId).toBe(keyedOrder.clientOrderId);
    });
  });
}
