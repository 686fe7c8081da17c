import { VenueRuntimeRegistry } from '@xport/ccxt';
import { loadExchangeClass, rewriteHosts } from '@xport/ccxt/internal';
import { describeExchangeContract, ledgerOrders, openLegs, rejectionOf, summariseLegs } from '@xport/contract-tests';
import type { ContractContext } from '@xport/contract-tests';
import { Decimal } from '@xport/core';
import type { ExchangePort, PositionMode } from '@xport/core';
import { expect, it } from 'vitest';

import { bybitProfile } from './bybit-profile';
import { createBybitAdapter } from './create-bybit-adapter';

/** Signed requests of one account, as `METHOD path` without the venue prefix. */
function signedRequests(ctx: ContractContext, apiKey: string): string[] {
  return ctx.requests(apiKey).map((entry) => `${entry.method} ${entry.path.replace(/^\/bybit/, '')}`);
}

/** The mode the adapter settled on at initialize(); a CcxtExchangeAdapter shows it, the port does not. */
function positionModeOf(adapter: ExchangePort): unknown {
  return (adapter as { positionMode?: unknown }).positionMode;
}

function bybitExtras(ctx: ContractContext): void {
  it.each<[PositionMode, string]>([
    ['oneway', 'both'],
    ['hedge', 'long'],
  ])('discovers %s mode from the position list at initialize(), with no other signed request', async (mode, leg) => {
    const account = ctx.createAccount({ positionMode: mode });
    const adapter = ctx.createAdapter(account);

    await adapter.initialize();

    expect(positionModeOf(adapter)).toBe(mode);
    expect(signedRequests(ctx, account.apiKey)).toEqual(['GET /v5/position/list']);
    await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 3);
    expect(ledgerOrders(ctx, account.apiKey).map((order) => order.positionSide)).toEqual([leg]);
  });

  it('reads hedge mode from the position list while only one leg is open', async () => {
    const account = ctx.createAccount({ positionMode: 'hedge' });
    await ctx.createAdapter(account, { positionMode: 'hedge' }).executeFuturesShort('BTC/USDT', new Decimal('0.01'), 3);
    const fresh = ctx.createAdapter(account);

    await fresh.initialize();

    expect(positionModeOf(fresh)).toBe('hedge');
  });

  it('answers 110043 to a repeated leverage, and a second adapter setting it still places its order', async () => {
    const account = ctx.createAccount();
    await ctx.createAdapter(account).executeFuturesLong('BTC/USDT', new Decimal('0.01'), 7);
    // The venue itself refuses the repeat: unmodified ccxt, same account, same value.
    const { exchangeClass } = await loadExchangeClass('bybit');
    const raw = new exchangeClass({ apiKey: account.apiKey, secret: account.secret, enableRateLimit: false, ...bybitProfile.ccxtConfig() });
    const urls = raw.urls as { api: unknown };
    urls.api = rewriteHosts(urls.api, `${ctx.sim.url}/bybit`);
    await raw.loadMarkets();
    const refusal = await rejectionOf(raw.setLeverage(7, 'BTC/USDT:USDT'));
    expect(String(refusal)).toContain('"retCode":110043');

    const second = ctx.createAdapter(account);
    const order = await second.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 7);

    expect(order.status).toBe('filled');
    expect(ctx.setLeverageRequests(account.apiKey)).toHaveLength(3);
    expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: '0.02', leverage: 7, side: 'both' }]);
  });

  it.each([
    ['3 s behind the machine (timestamps look future)', -3_000],
    ['20 s ahead of the machine (timestamps look expired)', 20_000],
  ])('a fresh adapter loads markets and trades on a venue clock %s, without a 10002 retry', async (_what, skewMs) => {
    ctx.sim.clock.skew(skewMs);
    const account = ctx.createAccount();
    const adapter = ctx.createAdapter(account);

    await adapter.initialize();
    const order = await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 2);

    expect(order.status).toBe('filled');
    // ccxt's currencies call would be signed before the clock sync; the profile does not make it.
    expect(ctx.requests().map((entry) => entry.path)).not.toContain('/bybit/v5/asset/coin/query-info');
    expect(signedRequests(ctx, account.apiKey)).toEqual(['GET /v5/position/list', 'POST /v5/position/set-leverage', 'POST /v5/order/create', 'GET /v5/order/realtime']);
    expect(ctx.clock.sleeps.filter((ms) => ms > 0), 'no retry waited').toEqual([]);
  });
}

describeExchangeContract({
  name: 'bybit',
  createAdapter: (options) => createBybitAdapter(options),
  createRegistry: () => new VenueRuntimeRegistry(),
  // Open bugs (/work/briefs/adapter-bugs.md, "[bybit helper]" notes); each entry goes when its fix lands.
  extra: bybitExtras,
});
