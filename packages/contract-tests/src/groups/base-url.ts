import { Decimal } from '@xport/core';
import { describe, expect } from 'vitest';

import { isLoopback, recordConnections } from '../connection-recorder';
import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';

export function describeBaseUrl<Registry>(ctx: ContractContext<Registry>): void {
  describe('baseUrl', () => {
    ctx.test('sends every request of every port method to the simulator', async () => {
      const recorder = recordConnections();
      try {
        const { account, adapter } = await ctx.setup();
        await adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));
        await adapter.executeSpotSell(CONTRACT_SYMBOL, new Decimal('0.01'));
        await adapter.executeFuturesLong(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 5);
        await adapter.executeFuturesShort(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 5);
        await adapter.executeFuturesLong(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 5);
        await adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long');
        await adapter.getBalances();
        await adapter.getBalances({ market: 'futures' });
        await adapter.getBalance('USDT', { market: 'futures' });
        await adapter.getSymbolInfo(CONTRACT_SYMBOL, { market: 'futures' });

        expect(ctx.sim.ledger.orders({ venue: ctx.name, apiKey: account.apiKey })).toHaveLength(6);
        expect(ctx.requests().every((entry) => entry.path.startsWith(`/${ctx.name}/`))).toBe(true);
        expect(recorder.destinations.length, 'connections were observed').toBeGreaterThan(0);
        expect(recorder.destinations.filter((destination) => !isLoopback(destination))).toEqual([]);
      } finally {
        recorder.stop();
      }
    });
  });
}
