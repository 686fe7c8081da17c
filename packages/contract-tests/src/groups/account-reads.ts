import { describe, expect } from 'vitest';

import { adapterView, simulatorView } from '../balance-views';
import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { toDecimal } from '../market-fixtures';

export function describeAccountReads<Registry>(ctx: ContractContext<Registry>): void {
  describe('balances and symbol info', () => {
    ctx.test('getBalances() (spot) equals the simulator wallet', async () => {
      const { account, adapter } = await ctx.setup({ balances: { USDT: '12345.678', BTC: '0.5', ETH: '3' } });
      await adapter.executeSpotBuy(CONTRACT_SYMBOL, toDecimal('0.01'));

      const balances = await adapter.getBalances();

      expect(balances.every((balance) => balance.market === 'spot')).toBe(true);
      expect(adapterView(balances)).toEqual(simulatorView(ctx.sim, ctx.name, account.apiKey, 'spot'));
    });

    ctx.test('getBalances({ market: "futures" }) equals the simulator wallet, margin of an open position included', async () => {
      const { account, adapter } = await ctx.setup({ futuresBalances: { USDT: '2500.5' } });
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 10);

      const balances = await adapter.getBalances({ market: 'futures' });

      expect(balances.every((balance) => balance.market === 'futures')).toBe(true);
      const simulated = simulatorView(ctx.sim, ctx.name, account.apiKey, 'futures');
      expect(simulated.find((balance) => balance.asset === 'USDT')?.locked).not.toBe('0');
      expect(adapterView(balances)).toEqual(simulated);
    });

    ctx.test('getBalance(asset) equals the simulator, and an asset the account never held is zero', async () => {
      const { account, adapter } = await ctx.setup({ balances: { USDT: '777.25', BTC: '0.125' } });

      const usdt = await adapter.getBalance('USDT');
      const btc = await adapter.getBalance('btc');
      const doge = await adapter.getBalance('DOGE');

      const wallet = ctx.sim.balances(ctx.name, account.apiKey).spot;
      expect({ asset: usdt.asset, free: usdt.free.toFixed(), locked: usdt.locked.toFixed() }).toEqual({
        asset: 'USDT',
        free: toDecimal(wallet.USDT?.free ?? 0).toFixed(),
        locked: toDecimal(wallet.USDT?.locked ?? 0).toFixed(),
      });
      expect(btc.total.toFixed()).toBe('0.125');
      expect(btc.asset).toBe('BTC');
      expect(doge.asset).toBe('DOGE');
      expect(doge.total.isZero()).toBe(true);
    });

    for (const market of ['spot', 'futures'] as const) ctx.test(`getSymbolInfo (${market}) equals the simulator instrument`, async () => {
      const { adapter } = await ctx.setup();
      const instrument = ctx.instrument(market);

      const info = await adapter.getSymbolInfo(CONTRACT_SYMBOL, { market });

      expect({
        base: info.base,
        quote: info.quote,
        exchangeSymbol: info.exchangeSymbol,
        marketType: info.marketType,
        quantityStep: info.quantityStep.toFixed(),
        minQuantity: info.minQuantity.toFixed(),
        maxQuantity: info.maxQuantity?.toFixed(),
        priceTick: info.priceTick.toFixed(),
        minNotional: info.minNotional.toFixed(),
        maxLeverage: info.maxLeverage,
      }).toEqual({
        base: instrument.base,
        quote: instrument.quote,
        exchangeSymbol: instrument.symbol,
        marketType: market,
        quantityStep: toDecimal(instrument.stepSize).toFixed(),
        minQuantity: toDecimal(instrument.minQty).toFixed(),
        maxQuantity: toDecimal(instrument.maxQty).toFixed(),
        priceTick: toDecimal(instrument.tickSize).toFixed(),
        minNotional: toDecimal(instrument.minNotional).toFixed(),
        maxLeverage: market === 'futures' ? instrument.maxLeverage : undefined,
      });
    });
  });
}
