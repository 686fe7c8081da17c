import { AdapterClosedError, Decimal } from '@xport/core';
import type { ExchangePort } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRefusedWithoutRequests } from '../expectations';

const CALLS: readonly (readonly [string, (adapter: ExchangePort) => Promise<unknown>])[] = [
  ['initialize', (adapter) => adapter.initialize()],
  ['executeSpotBuy', (adapter) => adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'))],
  ['executeSpotSell', (adapter) => adapter.executeSpotSell(CONTRACT_SYMBOL, new Decimal('0.01'))],
  ['executeFuturesLong', (adapter) => adapter.executeFuturesLong(CONTRACT_SYMBOL, new Decimal('0.01'), 5)],
  ['executeFuturesShort', (adapter) => adapter.executeFuturesShort(CONTRACT_SYMBOL, new Decimal('0.01'), 5)],
  ['closeFuturesPosition', (adapter) => adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long')],
  ['reduceFuturesPosition', (adapter) => adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', new Decimal('0.01'))],
  ['getBalances', (adapter) => adapter.getBalances()],
  ['getBalance', (adapter) => adapter.getBalance('USDT')],
  ['getSymbolInfo', (adapter) => adapter.getSymbolInfo(CONTRACT_SYMBOL)],
  ['getFuturesPosition', (adapter) => adapter.getFuturesPosition(CONTRACT_SYMBOL, 'long')],
];

export function describeClosedAdapter<Registry>(ctx: ContractContext<Registry>): void {
  describe('close()', () => {
    ctx.test('after close() every method throws AdapterClosedError and sends nothing; close() again is fine', async () => {
      const { account, adapter } = await ctx.setup();
      const neverInitialized = ctx.createAdapter(account);
      await adapter.close();
      await neverInitialized.close();
      await adapter.close();

      for (const closed of [adapter, neverInitialized]) {
        for (const [name, call] of CALLS) {
          const error = await expectRefusedWithoutRequests(ctx, AdapterClosedError, () => call(closed));
          expect((error as AdapterClosedError).exchange, name).toBe(ctx.name);
        }
      }
    });
  });
}
