import { AuthenticationError, Decimal, ExchangeError, InsufficientBalanceError, SymbolNotFoundError } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRejection, ledgerOrders } from '../expectations';
import { validQuantity } from '../market-fixtures';

function venueCodeOf(error: unknown): string | undefined {
  return ExchangeError.isInstance(error) ? error.code : undefined;
}

export function describeVenueErrors<Registry>(ctx: ContractContext<Registry>): void {
  describe('venue refusals as domain errors', () => {
    ctx.test('a spot buy beyond the quote balance is InsufficientBalanceError with the venue code kept', async () => {
      const { account, adapter } = await ctx.setup({ balances: { USDT: '10' }, futuresBalances: {} });

      const error = await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01')), InsufficientBalanceError);

      expect(venueCodeOf(error), 'the venue code').toMatch(/\S/);
      expect(error).toMatchObject({ exchange: ctx.name });
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('a spot sell beyond the base balance is InsufficientBalanceError', async () => {
      const { adapter } = await ctx.setup({ balances: { USDT: '1000', BTC: '0.001' } });

      const error = await expectRejection(adapter.executeSpotSell(CONTRACT_SYMBOL, new Decimal('0.01')), InsufficientBalanceError);

      expect(venueCodeOf(error), 'the venue code').toMatch(/\S/);
    });

    ctx.test('a futures order beyond the margin is InsufficientBalanceError with the venue code kept', async () => {
      const { account, adapter } = await ctx.setup({ balances: {}, futuresBalances: { USDT: '1' } });
      const quantity = validQuantity(ctx.instrument('futures'), ctx.markPrice(), 20);

      const error = await expectRejection(adapter.executeFuturesLong(CONTRACT_SYMBOL, quantity, 1), InsufficientBalanceError);

      expect(venueCodeOf(error), 'the venue code').toMatch(/\S/);
      expect(ctx.sim.positions(ctx.name, account.apiKey)).toEqual([]);
    });

    ctx.test('an unknown symbol is SymbolNotFoundError for orders and symbol info', async () => {
      const { account, adapter } = await ctx.setup();

      await expectRejection(adapter.executeSpotBuy('NOSUCHCOINUSDT', new Decimal('1')), SymbolNotFoundError);
      await expectRejection(adapter.executeFuturesLong('NOSUCHCOIN/USDT', new Decimal('1'), 2), SymbolNotFoundError);
      await expectRejection(adapter.getSymbolInfo('NOSUCHCOINUSDT', { market: 'futures' }), SymbolNotFoundError);
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('an API key the venue does not know is AuthenticationError', async () => {
      const account = ctx.createAccount();
      const adapter = ctx.createAdapter(account, { apiKey: `${account.apiKey}x` });

      const error = await expectRejection(adapter.getBalances(), AuthenticationError);

      expect(error).toMatchObject({ exchange: ctx.name });
    });

    ctx.test('a wrong secret is AuthenticationError, with the venue code kept', async () => {
      const account = ctx.createAccount();
      const adapter = ctx.createAdapter(account, { apiSecret: `${account.secret.slice(0, -4)}0000` });

      const error = await expectRejection(adapter.getBalances({ market: 'futures' }), AuthenticationError);

      expect(venueCodeOf(error), 'the venue code').toMatch(/\S/);
    });
  });
}
